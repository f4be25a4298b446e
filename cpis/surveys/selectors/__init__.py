"""What the surveys app reads: questionnaires, waves, responses and results."""
