#!/usr/bin/env python3
"""Read FITS files with astropy (an independent reader) and print, as JSON,
what the toolkit's tests compare: the pixels' checksum against a .npy image,
whether astropy finds a valid celestial WCS, its pixel scale [arcsec], the
world coordinates of the reference pixel and of the image centre, and the
header's BUNIT, REDSHIFT and M200.

Usage: check_fits_astropy.py NPY INDEX FILE.fits
  NPY    the dataset's images_<tracer>.npy
  INDEX  the image's index in it
"""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from astropy.wcs.utils import proj_plane_pixel_scales

npy, index, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ref = np.load(npy)[index]
with warnings.catch_warnings():
    warnings.simplefilter("error")  # any FITS or WCS warning fails the check
    with fits.open(path) as hdul:
        hdul.verify("exception")
        h = hdul[0].header
        data = hdul[0].data
        w = WCS(h)
n = data.shape[0]
centre = w.pixel_to_world_values(n / 2 - 0.5, n / 2 - 0.5)  # astropy pixels are 0-based
print(json.dumps({
    "shape": list(data.shape),
    "dtype": str(data.dtype),
    "same_pixels": bool(np.array_equal(data.astype(np.float32), ref)),
    "max_abs_diff": float(np.max(np.abs(data.astype(np.float64) - ref))),
    "has_celestial": bool(w.has_celestial),
    "ctype": list(w.wcs.ctype),
    "pixel_scale_arcsec": [float(s * 3600) for s in proj_plane_pixel_scales(w)],
    "centre_world_deg": [float(centre[0]), float(centre[1])],
    "bunit": h.get("BUNIT"),
    "redshift": h.get("REDSHIFT"),
    "m200": h.get("M200"),
}))
