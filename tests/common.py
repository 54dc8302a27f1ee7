import io
from contextlib import contextmanager
from datetime import date

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.tests.common import BaseCommon


def new_company_user(env, login, groups, company):
    """A user of ``company`` only, with ``groups`` (comma-separated XML ids); the password is the login."""
    return new_test_user(env, login=login, groups=groups, company_id=company.id, company_ids=[company.id])


class ServiceCommon(BaseCommon):
    """Two companies, a customer with two sites, and one user per service role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.service_own_warranty_months = 24
        cls.company_b = cls.env["res.company"].create({"name": "Rhône Chauffage Sud"})

        cls.customer = cls.env["res.partner"].create({"name": "Syndic Bellecour Gestion", "is_company": True})
        cls.site_tilleuls, cls.site_acacias = cls.env["res.partner"].create(
            [
                {"name": "Résidence Les Tilleuls", "type": "delivery", "parent_id": cls.customer.id, "city": "Lyon"},
                {"name": "Résidence Les Acacias", "type": "delivery", "parent_id": cls.customer.id, "city": "Bron"},
            ]
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Pharmacie du Parc", "is_company": True})
        cls.manufacturer = cls.env["res.partner"].create({"name": "Elevatis Industries", "is_company": True})
        cls.category_lift = cls.env["service.equipment.category"].create({"name": "Lifts (test)"})
        cls.product_lift = cls.env["product.product"].create({"name": "Elevatis E-300 630 kg", "type": "consu"})

        cls.service_product = cls.env["product.product"].create(
            {"name": "Lift Maintenance", "type": "service", "list_price": 1200.0, "taxes_id": [(5, 0, 0)]}
        )
        cls.technician = cls._create_service_user("technician", "service_management.group_service_technician")
        cls.dispatcher = cls._create_service_user("dispatcher", "service_management.group_service_user")
        cls.manager = cls._create_service_user("manager", "service_management.group_service_manager")
        cls.credit_controller = cls._create_service_user("credit", "service_management.group_service_credit_controller")
        cls.dispatcher_b = new_company_user(
            cls.env, "dispatcher_b", "service_management.group_service_user", cls.company_b
        )

    @classmethod
    def _create_service_user(cls, login, group):
        return new_company_user(cls.env, login, group, cls.company)

    @classmethod
    def _pay(cls, move, amount, payment_date):
        """Register a payment of ``amount`` on the posted invoice ``move``, the way the Pay button does."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"amount": amount, "payment_date": payment_date})
            ._create_payments()
        )

    @classmethod
    def _create_equipment(cls, **vals):
        values = {
            "name": "Lift A",
            "partner_id": cls.customer.id,
            "site_id": cls.site_tilleuls.id,
            "category_id": cls.category_lift.id,
            "product_id": cls.product_lift.id,
            "installation_date": date(2020, 3, 1),
        }
        values.update(vals)
        return cls.env["service.equipment"].create(values)

    @contextmanager
    def assertRaisesMessage(self, exception, pattern):
        """Like ``assertRaisesRegex``, but rolls back what the failed call wrote, as a real request would."""
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), pattern)

    @classmethod
    def _create_contract(cls, lines=None, **vals):
        values = {
            "partner_id": cls.customer.id,
            "date_start": date(2025, 1, 1),
            "duration_value": 1,
            "duration_unit": "yearly",
            "line_ids": [
                fields.Command.create({"product_id": cls.service_product.id, "quantity": 1, "price_unit": 1000.0})
            ]
            if lines is None
            else lines,
        }
        values.update(vals)
        return cls.env["service.contract"].create(values)


class PdfReportCase(HttpCase):
    """Real PDFs through wkhtmltopdf: an HttpCase, so that it can fetch the report's assets from the test server."""

    def _render_pdf_pages(self, report_xmlid, records):
        """Render ``records`` with the report and return its number of pages."""
        report = self.env.ref(report_xmlid)
        pdf, report_format = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return len(PdfFileReader(io.BytesIO(pdf), strict=False).pages)


class WorkersCase(TransactionCase):
    """Two workers on their own real database connections, for what only the database can guarantee."""

    def _open_workers(self, clean_up):
        """Two worker environments; after the test they are closed, then ``clean_up(env)`` removes committed data."""
        envs = [api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _i in range(2)]

        def close_then_clean_up():
            # close the workers first: a failed test may leave them holding row locks
            for env in envs:
                env.cr.rollback()
                env.cr.close()
            with self.env.registry.cursor() as cr:
                clean_up(api.Environment(cr, SUPERUSER_ID, {}))
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(close_then_clean_up)
        return envs
