from . import helpers
from . import models
from . import wizards
from . import controllers
