"""Impact simulation: the environment model, its loaders and the blast radius of a change."""
