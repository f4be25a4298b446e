"""Numerical kernels of problem solving: plain NumPy/SciPy on counts and day
numbers, no Django. Each is checked in its tests against published and
hand-computed examples and against SciPy."""
