from . import helpers
from . import models
