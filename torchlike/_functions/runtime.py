"""Process and runtime settings, predicates and Tensor attributes that carry no math."""
