"""Numerical kernels of the crime and concern analytics: plain NumPy/SciPy/numba on
arrays, no Django. Each module is checked against its public peer in its tests and
benchmarked against it in `bench/`."""
