"""Mesa's Boltzmann wealth model, as in Mesa's tutorial: the yardstick for a turn's cost.

Every agent that has a unit of wealth gives one to another agent drawn at random. A step of
1,000 such agents is about the cheapest useful thing Mesa does per agent, so a turn of the
game timed against it in the same process says how far the game is from Mesa's own floor on
whatever machine runs the benchmark.
"""

from __future__ import annotations

import mesa


class WealthAgent(mesa.Agent):
    def __init__(self, model: BoltzmannWealth) -> None:
        super().__init__(model)
        self.wealth = 1

    def step(self) -> None:
        if self.wealth > 0:
            other = self.random.choice(self.model.agent_list)
            other.wealth += 1
            self.wealth -= 1


class BoltzmannWealth(mesa.Model):
    def __init__(self, n_agents: int = 1000, seed: int = 0) -> None:
        super().__init__(seed=seed)
        WealthAgent.create_agents(self, n_agents)
        self.agent_list = list(self.agents)

    def step(self) -> None:
        self.agents.shuffle_do("step")
