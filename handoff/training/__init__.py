"""The trainer loop: review inbox, annotate, export, retrain, evaluate, promote (hot swap) and roll back.

Modules: `project` (paths of one project copy), `inbox` (messages worth a look), `annotate` (redacted
annotations), `export` (annotations into data/ or a patch), `progress` + `retrain` (background `rasa train`),
`evaluation` + `evaluate_model` (held-out comparison in a subprocess), `gate` (promotion rules), `registry`
(the model table), `promotion` (swap, rollback), `runtime` (what the web layer holds), `cli`.
"""
