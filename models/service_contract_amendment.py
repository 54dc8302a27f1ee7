from odoo import api, fields, models
from odoo.exceptions import UserError


class ServiceContractAmendment(models.Model):
    _name = "service.contract.amendment"
    _description = "Contract Amendment"
    _inherit = ["service.protected.fields.mixin"]
    _order = "contract_id, date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, readonly=True)
    contract_id = fields.Many2one("service.contract", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    date = fields.Date(string="Effective Date", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Author", default=lambda self: self.env.user, readonly=True)
    amendment_type = fields.Selection(
        [("change", "Change"), ("indexation", "Indexation")],
        string="Type",
        default="change",
        required=True,
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("applied", "Applied")], default="scheduled", required=True, readonly=True
    )
    change_ids = fields.One2many("service.contract.amendment.change", "amendment_id", string="Changes", readonly=True)

    # numbered, dated and signed when recorded, applied by the application: never rewritten by hand
    _service_protected_fields = (
        "name",
        "contract_id",
        "date",
        "user_id",
        "amendment_type",
        "reason",
        "state",
        "change_ids",
    )

    _sql_constraints = [
        ("name_contract_uniq", "unique(contract_id, name)", "An amendment number is unique within its contract."),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        if any(amendment.state == "applied" for amendment in self):
            raise UserError(self.env._("An applied amendment is part of the contract's history and cannot be deleted."))

    @api.model
    def _create_amendment(self, contract, date, changes, reason, amendment_type="change"):
        """Record an amendment of ``contract`` effective on ``date`` and apply it when due.

        :param changes: ``{line: {field_name: new_value}}``; unchanged values are left out
        :return: the amendment, or an empty recordset when nothing changes
        """
        amendment = self._create_amendments(date, [(contract, changes, reason)], amendment_type=amendment_type)
        if amendment:
            contract.message_post(body=amendment._get_note())
        return amendment

    @api.model
    def _create_amendments(self, date, revisions, amendment_type="change"):
        """Record the amendments ``[(contract, changes, reason)]`` effective on ``date`` in one create and apply
        those due; a contract whose changes change nothing gets none. Nothing is posted: see ``_get_note``.

        :return: the amendments, in the order of ``revisions``
        """
        Change = self.env["service.contract.amendment.change"]
        vals_list = []
        for contract, changes, reason in revisions:
            change_vals = [
                Change._prepare_change_vals(line, fname, line[fname], new_value)
                for line, values in changes.items()
                for fname, new_value in values.items()
                if not Change._same_value(line, fname, line[fname], new_value)
            ]
            if not change_vals:
                continue
            number = len(contract.with_context(active_test=False).amendment_ids) + 1
            vals_list.append(
                {
                    "name": self.env._("%(contract)s-A%(number)02d", contract=contract.name, number=number),
                    "contract_id": contract.id,
                    "date": date,
                    "reason": reason,
                    "amendment_type": amendment_type,
                    "change_ids": [fields.Command.create(vals) for vals in change_vals],
                }
            )
        amendments = self._with_code_write().create(vals_list).with_env(self.env)
        if date <= fields.Date.context_today(self):
            amendments._apply()
        return amendments

    def _get_note(self):
        """The chatter note of this amendment on its contract."""
        self.ensure_one()
        return self.env._(
            "Amendment %(number)s effective on %(date)s: %(reason)s",
            number=self.name,
            date=self.date,
            reason=self.reason or "",
        )

    def _apply(self):
        """Write the new values of scheduled amendments onto the contract lines."""
        scheduled = self.filtered(lambda a: a.state == "scheduled").sorted("date")
        for amendment in scheduled:
            for change in amendment.change_ids:
                change.line_id.write({change.field_name: change._get_value(new=True, for_write=True)})
        scheduled._with_code_write().state = "applied"

    @api.model
    def _cron_apply_amendments(self, batch_size=500):
        """Apply amendments whose effective date has come, in batches."""
        domain = [("state", "=", "scheduled"), ("date", "<=", fields.Date.context_today(self))]
        amendments = self.search(domain, limit=batch_size, order="date, id")
        amendments._apply()
        self.env["ir.cron"]._notify_progress(done=len(amendments), remaining=self.search_count(domain))
        return len(amendments)
