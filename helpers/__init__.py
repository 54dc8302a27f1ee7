from . import indexation
from . import preventive
from . import recurrence
from . import warranty
from . import dunning
from . import rpc
from . import text
from . import wording
