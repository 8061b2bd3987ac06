"""The cadres area's pages, by area: records (people, departments, posts), risks,
rotation (planner, plans, young cadres), talks."""
