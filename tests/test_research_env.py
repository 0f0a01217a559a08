"""The Gymnasium environment (game.research.env): Gymnasium's checker, a mask that says what the
session takes, determinism, episodes of the level's length whose rewards add up to its score,
and both render modes. Skipped without the research extra (gymnasium)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")

from gymnasium.envs.registration import EnvSpec
from gymnasium.utils.env_checker import check_env

from game.actions import JAPAN_LEVERS
from game.research.env import (
    ACTION_NAMES,
    ACTIONS,
    OBSERVATION_FIELDS,
    JapanPolicyEnv,
    evaluate,
)
from game.session import Session
from game.vocab.nations import JAPAN

SEED = 3


def play(env: JapanPolicyEnv, actions, seed: int = SEED):
    """Reset at ``seed`` and take ``actions``; the observations, rewards and infos, reset's first."""
    obs, info = env.reset(seed=seed)
    observations, rewards, infos = [obs], [], [info]
    for action in actions:
        obs, reward, _, _, info = env.step(action)
        observations.append(obs)
        rewards.append(reward)
        infos.append(info)
    return observations, rewards, infos


def masked_actions(seed: int, turns: int | None = None) -> list[int]:
    """A seeded random player's actions, each drawn from those the mask allows (the whole level
    unless ``turns``)."""
    env, chooser = JapanPolicyEnv(), np.random.default_rng(seed)
    _, info = env.reset(seed=seed)
    actions, over = [], False
    while not over and (turns is None or len(actions) < turns):
        actions.append(int(chooser.choice(np.flatnonzero(info["action_mask"]))))
        _, _, over, _, info = env.step(actions[-1])
    env.close()
    return actions


def test_every_lever_kind_is_an_action_and_index_zero_ends_the_quarter():
    assert ACTIONS[0].kind is None and ACTION_NAMES[0] == "end_quarter"
    assert {choice.kind for choice in ACTIONS[1:]} == set(JAPAN_LEVERS)
    assert len(set(ACTION_NAMES)) == len(ACTIONS)


# Without a spec the checker cannot make the env in its other render modes, and says so; the
# second check, with a spec, does make them.
@pytest.mark.filterwarnings("ignore:.*not having a spec")
def test_gymnasiums_checker_passes_with_and_without_a_spec():
    check_env(JapanPolicyEnv())
    # Made from a spec, the checker also makes the env in each render mode and closes it twice.
    env = gym.make(EnvSpec("RareEarths/JapanPolicy-v0", entry_point="game.research.env:JapanPolicyEnv"))
    check_env(env.unwrapped)
    env.close()


def test_observation_is_float32_within_its_bounds_and_names_each_field():
    env = JapanPolicyEnv()
    observations, _, _ = play(env, masked_actions(SEED))
    assert env.observation_space.shape == (len(OBSERVATION_FIELDS),)
    for obs in observations:
        assert obs.dtype == np.float32 and obs in env.observation_space
    assert observations[-1][OBSERVATION_FIELDS.index("turn_fraction")] == 1.0


@pytest.mark.parametrize("prefix", [[], [0]], ids=["first quarter, little money", "after the budget arrives"])
def test_mask_says_which_actions_the_session_takes(prefix):
    env = JapanPolicyEnv()
    mask = play(env, prefix)[2][-1]["action_mask"]
    assert mask.dtype == np.int8 and mask.shape == (len(ACTIONS),) and mask[0] == 1
    assert 0 < mask.sum() < len(ACTIONS)  # both kinds are checked
    for action in range(len(ACTIONS)):
        taken = play(env, [*prefix, action])[2][-1]
        assert taken["accepted"] == bool(mask[action]), (ACTION_NAMES[action], taken["message"])
        assert taken["action"] == ACTION_NAMES[action] and taken["message"]
    env.close()


def test_a_refused_action_still_plays_the_quarter():
    env = JapanPolicyEnv()  # the deep-sea programme is locked in the first level
    _, info = env.reset(seed=SEED)
    action = ACTION_NAMES.index("fund_deep_sea")
    assert info["action_mask"][action] == 0
    _, _, terminated, truncated, after = env.step(action)
    assert not after["accepted"] and after["quarter"] != info["quarter"]
    assert not terminated and not truncated
    assert not env.session.actions[-1].accepted  # refused by the session, which plays on


def test_same_seed_and_actions_give_identical_observations_and_rewards():
    actions = masked_actions(SEED)
    first = play(JapanPolicyEnv(), actions)
    second = play(JapanPolicyEnv(), actions)
    assert all(np.array_equal(a, b) for a, b in zip(first[0], second[0]))
    assert first[1] == second[1]
    assert [i["action_mask"].tolist() for i in first[2]] == [i["action_mask"].tolist() for i in second[2]]


def test_reset_without_a_seed_follows_the_seeded_generator():
    env = JapanPolicyEnv()
    env.reset(seed=5)
    first = [play_unseeded(env) for _ in range(2)]
    env.reset(seed=5)
    assert [play_unseeded(env) for _ in range(2)] == first
    assert JapanPolicyEnv(seed=7).reset()[0].tolist() == JapanPolicyEnv().reset(seed=7)[0].tolist()


def play_unseeded(env: JapanPolicyEnv) -> list[float]:
    env.reset()
    return [float(r) for r in (env.step(0)[1], env.step(0)[1])] + env.step(0)[0].tolist()


def test_an_episode_is_the_levels_turns_and_its_rewards_add_up_to_the_score():
    env = JapanPolicyEnv()
    _, info = env.reset(seed=SEED)
    chooser, rewards, over = np.random.default_rng(SEED), [], False
    while not over:
        _, reward, over, truncated, info = env.step(int(chooser.choice(np.flatnonzero(info["action_mask"]))))
        rewards.append(reward)
        assert truncated is False
    assert len(rewards) == env.scenario.n_turns
    assert sum(rewards) == pytest.approx(env.session.result().score) == pytest.approx(info["score"])
    assert info["action_mask"].tolist() == [1] + [0] * (len(ACTIONS) - 1)  # nothing but reset is left
    with pytest.raises(RuntimeError):
        env.step(0)


def test_ending_every_quarter_is_the_passive_run_even_with_every_lever_open(trawler):
    # The mask asks every lever's check each quarter (the deep-sea one too, whose own check
    # would begin a programme): the history must be the passive one, row for row.
    everything = dataclasses.replace(trawler, unlocked_actions=())
    env = JapanPolicyEnv(everything)
    _, info = env.reset(seed=SEED)
    deep_sea_offered, over = False, False
    while not over:
        _, _, over, _, info = env.step(0)
        deep_sea_offered |= bool(info["action_mask"][ACTION_NAMES.index("fund_deep_sea")])
    passive = Session(everything, seed=SEED)
    passive.run()
    assert deep_sea_offered and env.session.world.deep_sea.get(JAPAN) is None
    assert env.session.rows() == passive.rows()
    assert evaluate("passive", everything, [SEED]) == [info["score"]]


def test_render_modes_give_text_and_a_small_picture():
    text_env, picture_env = JapanPolicyEnv(render_mode="ansi"), JapanPolicyEnv(render_mode="rgb_array")
    for env in (text_env, picture_env):
        env.reset(seed=SEED)
        env.step(ACTION_NAMES.index("release_ndpr_30_days"))
    text = text_env.render()
    assert isinstance(text, str) and str(text_env.session.world.quarter) in text
    picture = picture_env.render()
    assert isinstance(picture, np.ndarray) and picture.dtype == np.uint8
    assert picture.ndim == 3 and picture.shape[2] == 3 and picture.shape[0] <= 256 and picture.shape[1] <= 256
    assert JapanPolicyEnv().render() is None
    with pytest.raises(ValueError):
        JapanPolicyEnv(render_mode="human")


@pytest.mark.parametrize("render_mode", ["ansi", "rgb_array"])
def test_rendering_before_reset_or_after_close_asks_for_reset_as_gymnasium_does(render_mode):
    """It returned None without a word; Gymnasium's order enforcing raises ResetNeeded."""
    env = JapanPolicyEnv(render_mode=render_mode)
    with pytest.raises(gym.error.ResetNeeded, match="reset"):
        env.render()
    env.reset(seed=SEED)
    assert env.render() is not None
    env.close()
    with pytest.raises(gym.error.ResetNeeded, match="reset"):
        env.render()


def test_evaluate_scores_each_seed_for_each_policy(trawler):
    for policy in ("random", "bot", "history", "passive"):
        scores = evaluate(policy, trawler, [0, 1])
        assert len(scores) == 2 and all(0.0 <= s <= 100.0 for s in scores)
    assert evaluate("random", trawler, [4]) == evaluate("random", trawler, [4])


def test_close_ends_the_session_and_may_be_called_twice():
    env = JapanPolicyEnv()
    env.reset(seed=SEED)
    env.close()
    env.close()
    assert env.session is None


class _OddIndex:
    """An object whose ``__index__`` gives what is not a whole number, or fails."""

    def __init__(self, gives):
        self.gives = gives

    def __index__(self):
        if isinstance(self.gives, Exception):
            raise self.gives
        return self.gives

    def __str__(self):
        raise RuntimeError("no text for this one")


@pytest.mark.parametrize("gives", [3.5, "7", OverflowError("too big"), 10**5000], ids=["fraction", "text", "overflow", "huge"])
def test_a_seed_whose_index_is_not_a_whole_number_is_refused_in_one_line(gives):
    """``seed.__index__()`` was trusted: 3.5 passed as a seed, "7" or an OverflowError raised, and
    an object without a text raised from the refusal itself."""
    from game.vocab.seeds import checked_seed

    with pytest.raises(ValueError, match="seed must be a whole number from 0 to 2\\^63-1, got "):
        checked_seed(_OddIndex(gives))


def test_a_refused_seed_leaves_the_episode_as_it_was():
    """reset(seed=2**64) closed the session before refusing the seed, and step() then played on
    a closed session without a word; a NumPy integer seed was refused by gymnasium though the
    constructor takes one."""
    env = JapanPolicyEnv()
    env.reset(seed=0)
    env.step(0)
    quarter, score = str(env.session.world.quarter), env._score
    for seed in (2**64, -1, 1.5, True, np.array([3]), 10**5000):  # (an array of one: TypeError before)
        with pytest.raises(ValueError, match="seed must be a whole number"):
            env.reset(seed=seed)
    assert str(env.session.world.quarter) == quarter and env._score == score
    fresh = JapanPolicyEnv()
    fresh.reset(seed=0)
    fresh.step(0)
    (observation, reward, *_), (fresh_observation, fresh_reward, *_) = env.step(0), fresh.step(0)
    assert np.array_equal(observation, fresh_observation) and reward == fresh_reward
    env.reset(seed=np.int64(4))
    other = JapanPolicyEnv()
    other.reset(seed=4)
    assert np.array_equal(env.step(5)[0], other.step(5)[0])
    with pytest.raises(ValueError, match="got True"):
        env.step(True)
