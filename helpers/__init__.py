from . import warranty
