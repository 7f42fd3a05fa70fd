"""The bot seam: the contract every bot engine keeps (contract.py), the bot's own process (process.py, wire.py),
the thread that keeps Rasa off a web loop (thread.py), and the Rasa engine itself (rasa/). Nothing here imports
Rasa at import time; only the modules under rasa/ import it, lazily, inside the bot process."""
