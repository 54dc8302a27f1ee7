from . import test_warranty_helper
from . import test_service_equipment
from . import test_service_equipment_warranty
from . import test_res_partner
from . import test_security
from . import test_equipment_label
from . import test_ui
from . import test_i18n
