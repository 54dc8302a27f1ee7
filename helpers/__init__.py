from . import indexation
from . import recurrence
from . import warranty
