from odoo import models


class ServiceBillingLockMixin(models.AbstractModel):
    _name = "service.billing.lock.mixin"
    _description = "Row Locks of Records Being Billed"

    def _lock_for_billing(self):
        """The subset of these records this transaction could lock; others are being billed by another worker."""
        if not self:
            return self
        self.flush_recordset()
        self.env.cr.execute(
            f"SELECT id FROM {self._table} WHERE id IN %s FOR UPDATE SKIP LOCKED",  # noqa: S608
            [tuple(self.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda record: record.id in locked)
