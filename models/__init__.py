from . import res_company
from . import res_config_settings
from . import service_equipment_category
from . import service_equipment_warranty
from . import service_equipment
from . import res_partner
