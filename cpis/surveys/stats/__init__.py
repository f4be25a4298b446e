"""The survey estimates' numerical kernel: plain NumPy/SciPy, no Django."""
