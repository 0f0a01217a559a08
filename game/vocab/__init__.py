"""The game's vocabulary: materials and chain roles, quarters, the nations it singles out.

The lowest floor: it imports nothing of the project, so every other module can use it.
"""
