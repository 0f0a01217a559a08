"""Subset Noto Sans CJK JP (Regular and Bold) to the characters the game can show.

Writes assets/fonts/NotoSansJP-Subset-Regular.otf and assets/fonts/NotoSansJP-Subset-Bold.otf.
The character set is fixed ranges (ASCII, Latin-1, punctuation, arrows, shapes, kana, CJK
punctuation, full-width forms, a few UI words), all of JIS X 0208 (the kanji Japanese text
commonly uses), plus every character found in

    levels/**/*.toml, assets/strings/**/*.toml, game/**/*.py (which includes game/ui/)

so rerun it whenever the levels or the UI gain new Japanese text, from the repository root:

    python assets/tools/subset_font.py

Needs fontTools (a dev tool; the game only reads the finished .otf files) and, for the final
check, pygame-ce. The source is Debian's fonts-noto-cjk package (apt-get install fonts-noto-cjk);
pass --regular/--bold to use other copies of NotoSansCJK-Regular.ttc / -Bold.ttc (or the
single-face NotoSansCJKjp-*.otf). The "Noto Sans CJK JP" face is found in the .ttc by its name.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO_ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # where Debian's fonts-noto-cjk installs
DEFAULT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
DEFAULT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
DEFAULT_OUT = REPO_ROOT / "assets" / "fonts"
FAMILY = "Noto Sans CJK JP"  # the Japanese face; KR/SC/TC/HK draw some kanji differently

RANGES = [
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: ¥ £ ° × · and accented names (Côte d'Ivoire)
    (0x2000, 0x206F),  # general punctuation: — – ‘ ’ “ ” … ‰ •
    (0x2190, 0x21FF),  # arrows for trends and navigation
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ▲ ▼ ● ○ ◆
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、 。 「 」 『 』 〜
    (0x3040, 0x30FF),  # hiragana and katakana, all of them
    (0xFF00, 0xFFEF),  # full-width forms: （ ） ： ％ ０-９ and half-width katakana
]
# Symbols outside those ranges the UI is likely to use.
EXTRA_CHARS = "€₩℃№™★☆✓−±≈≠≤≥∞√∑※〒"
# Words a game UI needs but the level texts may not contain yet, so the UI's first Japanese
# labels render before anyone reruns this script.
UI_WORDS = """
はじめる 続ける 開始 終了 保存 読込 設定 戻る 次へ 前へ 閉じる 決定 取消 確認 選択 一時停止 再開 速度
新しいゲーム 難易度 音量 言語 英語 日本語 ヘルプ 説明 目標 達成 未達成 失敗 勝利 敗北 結果 評価 得点
年 月 日 週 時 分 秒 第 四半期 今期 前期 来期 期限 残り 合計 平均 最大 最小 上昇 下落 増加 減少 変化
一 二 三 四 五 六 七 八 九 十 百 千 万 億 兆 円 ドル 元 個 件 回 人 社 国 地域 世界
日本 中国 米国 アメリカ 豪州 オーストラリア 韓国 台湾 欧州 ベトナム インド マレーシア ミャンマー カザフスタン
ロシア ブラジル カナダ 南アフリカ アフリカ アジア 北米 南米 海外 国内
価格 供給 需要 生産 輸入 輸出 在庫 備蓄 放出 購入 売却 投資 予算 資金 費用 収入 支出 利益 損失 契約 交渉
外交 関係 友好 緊張 制裁 関税 規制 許可 輸出枠 禁止 解除 警告 危機 事件 事故 報道 ニュース 情報 地図
鉱山 精錬 分離 工場 磁石 部品 製品 技術 研究 開発 代替 リサイクル 都市鉱山 海底 泥 採掘 鉱石 酸化物
希土類 レアアース ネオジム ジスプロシウム テルビウム プラセオジム ランタン セリウム イットリウム
産業 経済 政府 企業 大臣 首相 省 内閣 経済産業省 同盟 会議 合意 提案 拒否 受諾 要求 支援 協力
シェア 割合 指数 水準 目安 以上 以下 未満 超 約 日分 トン 量 額 率 高 低 良 悪 強 弱 中 大 小 全 無 有
"""

SCAN = [
    ("levels", "**/*.toml"),
    ("assets/strings", "**/*.toml"),
    ("game", "**/*.py"),  # every string literal in game/ui/ and the rest of the package
]

SAMPLE = "レアアース 日本 NdPr US$168/kg ★"


#: The school (jōyō) kanji of 2010 in their official forms outside JIS X 0208 and Windows's
#: code page, a common name's form (𠮷, of 吉), and symbols a Japanese keyboard's conversion offers.
JOYO_2010_FORMS = "𠮟塡剝頰𠮷"
JAPANESE_SYMBOLS = "♡♥♪♫☆★※〒〓∥‖"


def jis_x_0208() -> set[str]:
    """Every character of JIS X 0208 (its 6,355 kanji of levels 1 and 2, kana, Greek, Cyrillic and
    symbols), read from Python's EUC-JP codec, where they are the two-byte codes, and Windows's
    extensions of it (code page 932: ① Ⅱ ㈱ ㎡, and the IBM kanji such as 髙 and 﨑): what
    Japanese text commonly uses. A Japanese author's level and a class's team names ("桜組",
    "山﨑組") are typed in them, and met boxes (and refusals) with the game's own words alone."""
    chars = set(JOYO_2010_FORMS) | set(JAPANESE_SYMBOLS)
    for code in range(0x80, 0x10000):
        char = chr(code)
        try:
            encoded = char.encode("euc_jp")
        except UnicodeEncodeError:
            encoded = b""
        if len(encoded) == 2 and all(0xA1 <= byte <= 0xFE for byte in encoded):
            chars.add(char)
            continue
        try:
            if len(char.encode("cp932")) == 2:
                chars.add(char)
        except UnicodeEncodeError:
            pass
    return chars


def wanted_characters(root: Path, extra_files: list[Path], extra_text: str) -> tuple[set[str], list[Path]]:
    """Every character the game may draw, and the files that were scanned."""
    chars = {chr(c) for lo, hi in RANGES for c in range(lo, hi + 1)} | jis_x_0208()
    chars |= set(EXTRA_CHARS) | set(UI_WORDS) | set(extra_text)
    scanned = []
    for folder, pattern in SCAN:
        base = root / folder
        if base.is_dir():
            scanned += sorted(p for p in base.glob(pattern) if "__pycache__" not in p.parts)
    scanned += extra_files
    for path in scanned:
        chars |= set(path.read_text(encoding="utf-8"))
    # Control characters (newline, tab) and surrogates are never drawn.
    return {c for c in chars if unicodedata.category(c) not in ("Cc", "Cs")}, scanned


def font_number(path: Path) -> int:
    """Which face of a .ttc is the Japanese one (0 for a plain .otf)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(str(path), lazy=True)
    for number, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == FAMILY:
            return number
    sys.exit(f"{path}: no face named {FAMILY!r}")


def subset_face(source: Path, output: Path, chars: set[str]) -> tuple[int, int, set[str]]:
    """Subset one weight; returns its font number, glyph count and the characters it lacks."""
    number = font_number(source)
    # Keep the source's timestamp so a rerun on unchanged text gives byte-identical files.
    font = TTFont(str(source), fontNumber=number, lazy=False, recalcTimestamp=False)
    cmap = font.getBestCmap()
    missing = {c for c in chars if ord(c) not in cmap}
    options = subset.Options()
    options.hinting = False  # CFF hints: pygame's FreeType renders well without them, saves space
    options.desubroutinize = False  # shared subroutines keep the CFF smaller
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    # Horizontal text only: no vertical metrics or vertical/proportional/alternate features,
    # and only kerning plus glyph composition; size matters more than typographic niceties.
    options.layout_features = ["kern", "ccmp", "liga"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    options.name_IDs = ["*"]  # keep the copyright and OFL licence records (OFL condition 2)
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars if ord(c) in cmap))
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    glyphs = len(font.getGlyphOrder())
    font.close()
    return number, glyphs, missing


def check_with_pygame(paths: list[Path]) -> None:
    """Load each subset in pygame-ce and render a sample; a kanji must have a width."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no window or sound device needed
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        import pygame
    except ImportError:
        print("pygame not installed: skipped the render check")
        return
    pygame.font.init()
    for path in paths:
        font = pygame.font.Font(str(path), 20)
        surface = font.render(SAMPLE, True, (0, 0, 0))
        kanji = font.size("日")
        metrics = font.metrics("日")[0]
        if surface.get_width() <= 0 or kanji[0] <= 0 or metrics is None:
            sys.exit(f"{path.name}: pygame renders no kanji ({kanji}, {metrics})")
        print(f"  pygame: {path.name} renders {SAMPLE!r} {surface.get_size()}; '日' is {kanji[0]}x{kanji[1]} px")
    pygame.font.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regular", type=Path, default=DEFAULT_REGULAR, help=f"Regular source (default: {DEFAULT_REGULAR})")
    parser.add_argument("--bold", type=Path, default=DEFAULT_BOLD, help=f"Bold source (default: {DEFAULT_BOLD})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=f"repository to scan (default: {REPO_ROOT})")
    parser.add_argument("--extra-file", type=Path, action="append", default=[], help="another UTF-8 file whose characters to include")
    parser.add_argument("--extra-text", default="", help="more characters to include")
    args = parser.parse_args(argv)

    chars, scanned = wanted_characters(args.root, args.extra_file, args.extra_text)
    cjk = sum(1 for c in chars if unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH"))
    print(f"scanned {len(scanned)} files; {len(chars)} characters wanted, {cjk} of them kanji")
    outputs = []
    missing_all: set[str] = set()
    for weight, source in (("Regular", args.regular), ("Bold", args.bold)):
        output = args.out / f"NotoSansJP-Subset-{weight}.otf"
        number, glyphs, missing = subset_face(source, output, chars)
        missing_all |= missing
        outputs.append(output)
        print(f"  {output.name}: font number {number} of {source.name}, {len(chars) - len(missing)} characters, "
              f"{glyphs} glyphs, {output.stat().st_size / 1024:.0f} KiB")
    # Characters the font itself lacks (unassigned code points, a few symbols): report, skip.
    named = sorted(c for c in missing_all if unicodedata.name(c, ""))
    if named:
        print(f"  not in Noto Sans CJK JP ({len(named)} assigned code points skipped): "
              + " ".join(f"U+{ord(c):04X}" for c in named[:40]) + (" ..." if len(named) > 40 else ""))
    total = sum(p.stat().st_size for p in outputs)
    print(f"total {total / 1024:.0f} KiB")
    check_with_pygame(outputs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
