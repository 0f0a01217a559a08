"""The nations the game singles out by code. Every other nation is data in the world file."""

#: The nation a person plays (and the bot and the history strategies play for).
JAPAN = "JPN"
#: The dominant producer whose export policy the levels are about.
CHINA = "CHN"
#: The rest of the world, a bloc that is never offered as a partner.
REST_OF_WORLD = "ROW"
#: Producers whose mine output the reference reports, recorded to calibrate against it.
UNITED_STATES = "USA"
AUSTRALIA = "AUS"
MYANMAR = "MMR"
