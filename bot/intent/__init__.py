"""Intent classification: a linear model over character and word n-grams, trained by `rasa train` (docs/nlu.md)."""
