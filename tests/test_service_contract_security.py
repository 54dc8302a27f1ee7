from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceContractSecurity(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract()

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_salesperson_of_company_b_cannot_read_company_a_contracts(self):
        Contract = self.env["service.contract"].with_user(self.dispatcher_b)
        self.assertFalse(Contract.search([("id", "=", self.contract.id)]))
        with self.assertRaises(AccessError):
            self.contract.with_user(self.dispatcher_b).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.line_ids.with_user(self.dispatcher_b).read(["price_unit"])

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_rights_by_role(self):
        self.assertEqual(self.contract.with_user(self.technician).name, self.contract.name)
        with self.assertRaises(AccessError):
            self.contract.with_user(self.technician).title = "No"
        contract = self._create_contract().with_user(self.dispatcher)
        contract.title = "Edited by the dispatcher"
        contract.action_start()
        with self.assertRaises(AccessError):
            self.env["service.index"].with_user(self.dispatcher).create({"name": "X", "code": "X"})
        self.env["service.index"].with_user(self.manager).create({"name": "X", "code": "X"})
