from . import service_contract_terminate_wizard
from . import service_contract_amend_wizard
from . import service_contract_amend_wizard_line
from . import service_contract_revise_wizard
from . import service_intervention_payment_wizard
