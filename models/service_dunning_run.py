from collections import defaultdict
from datetime import timedelta
from typing import NamedTuple

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, format_datetime

from ..helpers import rpc
from ..helpers.dunning import age_bucket, amount_segment, item_charges, level_index, next_level_index
from ..helpers.report import join_documents

# Charges are payable 30 days after the letter (the French default payment period).
CHARGE_PAYMENT_DAYS = 30


def _level_key(level):
    return (level.sequence, level.days, level.id)


class _PlainLevel(NamedTuple):
    id: int
    days: int
    apply_interest: bool
    apply_indemnity: bool


def _insert_rows(model, rows):
    """Insert ``rows`` (dicts of stored field values, the same keys in each) into ``model``'s table in one query;
    return the new ids in the order of ``rows``."""
    if not rows:
        return []
    columns = list(rows[0])
    fields_ = [model._fields[column] for column in columns]
    arrays = [
        [None if row[column] is False and field.type != "boolean" else row[column] for row in rows]
        for column, field in zip(columns, fields_, strict=True)
    ]
    now = fields.Datetime.now()
    names = SQL(", ").join(SQL.identifier(column) for column in columns)
    # ids come from the table's sequence in the order of ``ord``: sorted, they follow ``rows``
    return sorted(
        row[0]
        for row in model.env.execute_query(
            SQL(
                "INSERT INTO %(table)s (%(names)s, create_uid, create_date, write_uid, write_date) "
                "SELECT %(names)s, %(uid)s, %(now)s, %(uid)s, %(now)s "
                "FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(names)s, ord) ORDER BY ord RETURNING id",
                table=SQL.identifier(model._table),
                names=names,
                uid=model.env.uid,
                now=now,
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", array, SQL(field.column_type[1]))
                    for array, field in zip(arrays, fields_, strict=True)
                ),
            )
        )
    )


class ServiceDunningRun(models.Model):
    _name = "service.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "service.protected.fields.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # the execution's progress and letters: written by the execution only
    _service_protected_fields = (
        "executed_by_id",
        "execution_date",
        "execution_done_count",
        "execution_total_count",
        "letter_attachment_id",
        "letter_batch_ids",
    )

    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("reviewed", "Reviewed"), ("executing", "Executing"), ("done", "Done")],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("service.dunning.run.line", "run_id", string="Customers")
    line_count = fields.Integer(compute="_compute_totals", string="Customer Count")
    amount_due = fields.Monetary(compute="_compute_totals")
    charges_amount = fields.Monetary(compute="_compute_totals", string="Charges")
    executed_by_id = fields.Many2one("res.users", readonly=True)
    execution_date = fields.Datetime(string="Execution Started", readonly=True, copy=False)
    execution_done_count = fields.Integer(string="Customers Done", readonly=True, copy=False)
    execution_total_count = fields.Integer(string="Customers to Execute", readonly=True, copy=False)
    execution_remaining_count = fields.Integer(compute="_compute_execution_progress", string="Customers Remaining")
    execution_progress = fields.Float(compute="_compute_execution_progress", string="Progress")
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letters", readonly=True)
    letter_batch_ids = fields.Many2many(
        "ir.attachment",
        "service_dunning_run_letter_batch_rel",
        "run_id",
        "attachment_id",
        string="Letters per Batch",
        readonly=True,
        copy=False,
    )
    charge_move_ids = fields.One2many("account.move", compute="_compute_totals", string="Charge Invoices")
    charge_move_count = fields.Integer(compute="_compute_totals")

    _sql_constraints = [
        ("company_date_unique", "UNIQUE(company_id, date)", "A company has one dunning run per day."),
    ]

    @api.depends("company_id", "date")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "Dunning of %(date)s", date=format_date(self.env, run.date) if run.date else ""
            )

    @api.depends("line_ids.amount_due", "line_ids.charges_amount", "line_ids.charge_move_id")
    def _compute_totals(self):
        for run in self:
            run.line_count = len(run.line_ids)
            run.amount_due = sum(run.line_ids.mapped("amount_due"))
            run.charges_amount = sum(run.line_ids.mapped("charges_amount"))
            run.charge_move_ids = run.line_ids.charge_move_id
            run.charge_move_count = len(run.charge_move_ids)

    @api.depends("execution_done_count", "execution_total_count")
    def _compute_execution_progress(self):
        for run in self:
            run.execution_remaining_count = max(run.execution_total_count - run.execution_done_count, 0)
            run.execution_progress = (
                100.0 * run.execution_done_count / run.execution_total_count if run.execution_total_count else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            day = (
                rpc.to_date(self.env, vals["date"], self.env._("The run date"))
                if vals.get("date")
                else fields.Date.context_today(self)
            )
            if self.search_count([("company_id", "=", company.id), ("date", "=", day)]):
                raise UserError(
                    self.env._(
                        "%(company)s already has a dunning run on %(date)s: open it instead.",
                        company=company.name,
                        date=day,
                    )
                )
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("A dunning run starts as a draft; its status changes through its buttons."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(self.env._("The status of a dunning run changes through its buttons only."))
        if "company_id" in vals and not self._is_code_write():
            raise UserError(self.env._("A dunning run stays in the company it was made for."))
        return super().write(vals)

    def unlink(self):
        if any(run.state in ("executing", "done") for run in self):
            raise UserError(self.env._("An executed dunning run cannot be deleted."))
        self.line_ids.unlink()
        return super().unlink()

    # Actions ------------------------------------------------------------------------------------

    def action_compute(self):
        """(Re)compute the customers to dun of these draft runs."""
        if any(run.state != "draft" for run in self):
            raise UserError(self.env._("Only a draft dunning run can be computed again."))
        if self.line_ids.filtered(lambda line: line.state == "done"):
            raise UserError(self.env._("Part of this run is executed: execute it again to finish it."))
        self.line_ids.unlink()
        vals_list = []
        for run in self:
            vals_list += run._prepare_line_vals_list()
        self._insert_lines(vals_list)
        return True

    def action_review(self):
        if any(run.state != "draft" for run in self):
            raise UserError(self.env._("Only a draft dunning run can be marked as reviewed."))
        self._write_state({"state": "reviewed"})
        return True

    def action_reset_draft(self):
        if any(run.state != "reviewed" for run in self):
            raise UserError(self.env._("Only a reviewed dunning run can go back to draft."))
        self._write_state({"state": "draft"})
        return True

    def action_execute(self):
        """Take the runs for execution and leave the work to the background job, which reports its progress."""
        first_time = self.filtered(lambda run: not run.execution_date)
        self._claim_execution()
        for run in first_time:
            run._apply_postponements(run.line_ids.filtered(lambda line: line.state == "postponed"))
        self.env.ref("service_management.ir_cron_service_dunning_execute")._trigger()
        return True

    def action_download_letters(self):
        self.ensure_one()
        if not self.letter_attachment_id:
            raise UserError(self.env._("This run printed no letter."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.letter_attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_charge_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning Charges"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.charge_move_ids.ids)],
        }

    # Computation --------------------------------------------------------------------------------

    @api.model
    def _get_or_create_run(self, company, date):
        """The run of ``company`` on ``date``: the existing one, else a new computed one."""
        run = self.search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        if not run:
            run = self.create({"company_id": company.id, "date": date})
            run.action_compute()
        return run

    def _get_invoice_domain(self, max_due_date):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("invoice_date_due", "<=", max_due_date),
            ("dunning_dispute", "=", False),
        ]

    def _fetch_open_invoices(self, max_due_date):
        """The invoices of ``_get_invoice_domain``, oldest due first, as tuples read in one query (record rules
        applied): ``(id, commercial partner id, due date, residual, last level id, interest charged until,
        indemnity charged, last dunning date, charge invoice, charges other invoices)``."""
        self.ensure_one()
        Move = self.env["account.move"]
        Move.flush_model()
        self.env["service.dunning.level"].flush_model(["sequence", "days"])
        query = Move._search(self._get_invoice_domain(max_due_date), order="invoice_date_due, id")
        table = SQL.identifier(query.table)
        columns = (
            "id",
            "commercial_partner_id",
            "invoice_date_due",
            "amount_residual",
            "dunning_level_id",
            "dunning_interest_date",
            "dunning_indemnity_charged",
            "dunning_date",
            "service_dunning_charge",
        )
        return self.env.execute_query(
            query.select(
                *(SQL("%s.%s", table, SQL.identifier(column)) for column in columns),
                SQL(
                    "EXISTS(SELECT 1 FROM account_move_dunning_charge_rel rel WHERE rel.charge_move_id = %s.id)",
                    table,
                ),
            )
        )

    def _prepare_line_vals_list(self):
        """One line per customer having at least one invoice reaching a new level on the run's date.

        The values hold every stored field of the lines and their items, computed here for all customers at
        once from one read of the open invoices (``_insert_lines`` writes them in one query per table).
        """
        self.ensure_one()
        company, date = self.company_id, self.date
        self.env["service.dunning.promise"]._check_promises(date, company)
        Policy = self.env["service.dunning.policy"]
        default_policies = Policy._get_default_policies(company)
        policies = Policy.search([("company_id", "=", company.id)])
        if not policies.level_ids:
            return []
        min_days = min(policies.level_ids.mapped("days"))
        rows = self._fetch_open_invoices(date - timedelta(days=min_days))
        promises = self.env["service.dunning.promise"].search_fetch(
            [("company_id", "=", company.id), ("state", "=", "pending"), ("date", ">=", date)],
            ["partner_id", "move_id"],
        )
        paused_partners = promises.filtered(lambda p: not p.move_id).partner_id.commercial_partner_id
        paused_moves = set(promises.move_id.ids)
        rows_by_partner = defaultdict(list)
        for row in rows:
            if row[0] not in paused_moves:
                rows_by_partner[row[1]].append(row)
        partners = self.env["res.partner"].browse(list(rows_by_partner))
        partners.fetch(["dunning_policy_id", "dunning_blocked", "dunning_paused_until"])
        reached = self.env["service.dunning.level"].browse({row[4] for row in rows if row[4]})
        level_keys = {level.id: _level_key(level) for level in reached | policies.level_ids}
        levels_by_policy = {}
        vals_list = []
        for partner in partners:
            if partner.dunning_blocked or partner in paused_partners:
                continue
            if partner.dunning_paused_until and partner.dunning_paused_until > date:
                continue
            policy = partner._get_dunning_policy(company, default_policies)
            if not policy:
                continue
            if policy not in levels_by_policy:
                levels_by_policy[policy] = list(policy._get_sorted_levels())
            partner_rows = rows_by_partner[partner.id]
            if not policy.dun_charge_invoices:
                partner_rows = [row for row in partner_rows if not row[8]]
            items, top_level = self._prepare_item_vals_list(partner_rows, levels_by_policy[policy], policy, level_keys)
            if not top_level:
                continue
            vals_list.append(self._prepare_line_vals(partner, policy, top_level, items))
        return vals_list

    def _prepare_line_vals(self, partner, policy, level, items):
        """Values of the line of ``partner`` at ``level``, with its ``items`` and its stored totals."""
        currency = self.company_id.currency_id
        max_days_late = max((item["days_late"] for item in items), default=0)
        amount_due = currency.round(sum(item["amount_residual"] for item in items))
        interest = currency.round(sum(item["interest_amount"] for item in items))
        indemnity = currency.round(sum(item["indemnity_amount"] for item in items))
        fee = currency.round(level._get_fee_amount())
        charges = currency.round(fee + interest + indemnity)
        return {
            "run_id": self.id,
            "run_date": self.date,
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "policy_id": policy.id,
            "proposed_level_id": level.id,
            "level_id": level.id,
            "state": "to_do",
            "invoice_count": len(items),
            "max_days_late": max_days_late,
            "age_bucket": age_bucket(max_days_late),
            "amount_due": amount_due,
            "amount_segment": amount_segment(amount_due, policy.amount_medium, policy.amount_large),
            "interest_amount": interest,
            "indemnity_amount": indemnity,
            "fee_amount": fee,
            "charges_amount": charges,
            "total_amount": currency.round(amount_due + charges),
            "item_ids": [Command.create(item) for item in items],
        }

    def _prepare_item_vals_list(self, rows, levels, policy, level_keys):
        """Items of one customer's invoices (``_fetch_open_invoices`` rows), and the highest new level reached
        (None when nothing escalates).

        Each invoice gets the level after the last one it reached (or, when the policy allows skipping,
        the highest its delay reached), once the policy's days between two levels have passed.
        """
        company, date = self.company_id, self.date
        currency = company.currency_id
        # plain values of the levels and the company, read once for all the invoices
        keys = [_level_key(level) for level in levels]
        plain_levels = [
            _PlainLevel(level.id, level.days, level.apply_interest, level.apply_indemnity) for level in levels
        ]
        rate, company_indemnity = company.dunning_interest_rate, company.dunning_indemnity_amount
        min_gap, allow_skip = policy.min_days_between_levels, policy.allow_skip_levels
        items, top_index = [], None
        for (
            move_id,
            _partner,
            due,
            residual,
            current_id,
            interest_date,
            indemnity_charged,
            dunned,
            charge,
            origins,
        ) in rows:
            days_late = (date - due).days
            index = next_level_index(
                plain_levels,
                level_index(keys, level_keys.get(current_id)),
                days_late,
                days_since_last=(date - dunned).days if dunned else None,
                min_gap=min_gap,
                allow_skip=allow_skip,
            )
            level = plain_levels[index] if index is not None else None
            if not level and days_late <= 0:
                continue
            if level and (top_index is None or index > top_index):
                top_index = index
            is_charge = bool(charge or origins)
            interest_from = max(due, interest_date or due)
            interest_days, interest, indemnity = item_charges(
                bool(level) and not is_charge,
                level and level.apply_interest,
                level and level.apply_indemnity,
                (date - interest_from).days,
                residual,
                rate,
                0.0 if indemnity_charged else company_indemnity,
            )
            items.append(
                {
                    "company_id": company.id,
                    "move_id": move_id,
                    "date_due": due,
                    "days_late": days_late,
                    "amount_residual": residual,
                    "previous_level_id": current_id or False,
                    "level_id": level.id if level else current_id or False,
                    "escalated": bool(level),
                    # the customer's level is the highest reached: it caps no item when the run is computed
                    "effective_level_id": level.id if level else False,
                    "interest_from": interest_from,
                    "is_charge": is_charge,
                    "interest_days": interest_days,
                    "interest_amount": currency.round(interest) if interest else 0.0,
                    "indemnity_amount": indemnity,
                }
            )
        return items, levels[top_index] if top_index is not None else None

    def _insert_lines(self, vals_list):
        """Write the lines of ``vals_list`` (``_prepare_line_vals_list``) and their items, one query per table.

        Every stored field is given, computed fields included, so the ORM has nothing left to compute.
        """
        Line = self.env["service.dunning.run.line"]
        Item = self.env["service.dunning.run.item"]
        Line.check_access("create")
        Item.check_access("create")
        line_ids = _insert_rows(Line, [{k: v for k, v in vals.items() if k != "item_ids"} for vals in vals_list])
        _insert_rows(
            Item,
            [
                dict(command[2], line_id=line_id)
                for vals, line_id in zip(vals_list, line_ids, strict=True)
                for command in vals["item_ids"]
            ],
        )
        self.invalidate_recordset(["line_ids"])
        Line.invalidate_model()
        Item.invalidate_model()

    # Execution ----------------------------------------------------------------------------------

    def _claim_execution(self):
        """Take the runs for execution at once, or refuse with who is executing them since when.

        The row lock is taken without waiting: a concurrent executor's transaction fails at once
        (Odoo replays the request, which then reads the committed claim and gets the message).
        """
        for run in self:
            if run.state == "executing":
                raise UserError(
                    self.env._(
                        "This run is being executed by %(user)s since %(date)s.",
                        user=run.executed_by_id.name,
                        date=format_datetime(self.env, run.execution_date),
                    )
                )
        if any(run.state != "reviewed" for run in self):
            raise UserError(self.env._("Review the dunning run before executing it."))
        self._check_charge_products()
        self.flush_recordset()
        self.env.cr.execute("SELECT id FROM service_dunning_run WHERE id IN %s FOR UPDATE NOWAIT", [tuple(self.ids)])
        for run in self:
            done = len(run.line_ids.filtered(lambda line: line.state == "done"))
            to_do = len(run.line_ids.filtered(lambda line: line.state == "to_do"))
            run._write_state(
                {
                    "state": "executing",
                    "executed_by_id": self.env.uid,
                    "execution_date": fields.Datetime.now(),
                    "execution_done_count": done,
                    "execution_total_count": done + to_do,
                }
            )

    def _check_charge_products(self):
        """Refuse at once to execute runs that would book charges without the charge products."""
        for run in self:
            if run.company_id.dunning_charge_mode != "invoice":
                continue
            charged = run.line_ids.filtered(
                lambda line: line.state == "to_do" and line.currency_id.compare_amounts(line.charges_amount, 0.0) > 0
            )
            if charged and not all(run.company_id._get_dunning_product(k) for k in ("fee", "interest", "indemnity")):
                raise UserError(self.env._("Set the dunning charge products in the settings first."))

    def _stop_execution(self, error):
        """Give the run back to its executor after a failed batch; executing it again goes on where it stopped."""
        self.ensure_one()
        self.sudo().state = "reviewed"
        self.message_post(
            body=self.env._(
                "The execution stopped (%(error)s). The customers already done are kept; "
                "fix the cause and execute the run again to finish it.",
                error=self.env["account.move"]._service_error_message(error),
            ),
            partner_ids=self.executed_by_id.partner_id.ids,
        )

    def _execute_batch(self, batch_size):
        """Execute the next ``batch_size`` customers of this run; finish the run when none is left.

        Each customer's e-mail, letter, call, charges and history are written in the same transaction
        as the customer's line is marked done, so a stopped job restarts where it was without doubling
        anything. Returns ``(customers done, customers remaining)``.
        """
        self.ensure_one()
        Line = self.env["service.dunning.run.line"]
        domain = [("run_id", "=", self.id), ("state", "=", "to_do")]
        lines = Line.search(domain, order="id", limit=batch_size)
        if lines:
            self._execute_lines(lines)
            self.execution_done_count += len(lines)
        remaining = Line.search_count(domain)
        if not remaining:
            self._finish_execution()
        return len(lines), remaining

    def _execute_lines(self, lines):
        """Send, print, schedule and book what ``lines`` of this run call for."""
        self.ensure_one()
        if self.company_id.dunning_charge_mode == "invoice":
            self._create_charge_moves(
                lines.filtered(lambda line: line.company_id.currency_id.compare_amounts(line.charges_amount, 0.0) > 0)
            )
        self._record_history(lines)
        emailed = lines.filtered(lambda line: line.level_id.send_email)
        printed = lines.filtered(lambda line: line.level_id.print_letter)
        letter_report = self._get_letter_report()
        with_letter = printed | emailed.filtered(
            lambda line: line.partner_id.email and letter_report in line.level_id.mail_template_id.report_template_ids
        )
        letters, letters_file = (lines & with_letter)._service_print_reports(letter_report)
        self._send_emails(emailed, letters)
        # the rendered PDF is the batch's file when it holds exactly the printed letters
        self._print_letters(printed, letters, letters_file if printed == lines & with_letter else None)
        self._schedule_calls(lines.filtered(lambda line: line.level_id.create_activity))
        self._hand_off_to_agencies(lines.filtered(lambda line: line.level_id.handoff_agency))
        self._log_on_customers(lines)
        lines._mark_executed()

    def _finish_execution(self):
        """Put the letters of all the batches in one PDF on the run and mark it done."""
        self.ensure_one()
        parts = self.letter_batch_ids.sorted("id")
        if len(parts) > 1:
            # one pass over the batches' files, in the order of the batches
            content = join_documents([part.raw for part in parts])
            name = self.env._("Dunning letters %(date)s.pdf", date=self.date)
            self.letter_attachment_id = self.env["ir.attachment"].create(
                self._prepare_letter_attachment_vals(content, name)
            )
            self.letter_batch_ids = [Command.clear()]
            parts.unlink()
        elif parts:
            self.letter_attachment_id = parts
            self.letter_batch_ids = [Command.clear()]
        self._write_state({"state": "done"})

    def _write_state(self, vals):
        """The one door to a run's status: the caller has checked the transition, the user's rights apply."""
        self.check_access("write")
        self.sudo().write(vals)

    def _apply_postponements(self, lines):
        by_date = defaultdict(lambda: self.env["res.partner"])
        for line in lines.filtered("postpone_date"):
            by_date[line.postpone_date] |= line.partner_id
        for day, partners in by_date.items():
            partners.dunning_paused_until = day
            partners._message_log_batch(
                bodies={p.id: self.env._("Dunning postponed until %(date)s.", date=day) for p in partners}
            )

    def _prepare_charge_move_vals(self, line):
        """Values of the customer invoice charging the fee, interest and indemnities of ``line``."""
        company = line.company_id
        invoice_lines = []
        fee_product, fee = line.level_id._get_fee()
        if fee:
            invoice_lines.append(
                Command.create(
                    {
                        "product_id": fee_product.id,
                        "name": self.env._("Dunning fee: %(level)s", level=line.level_id.name),
                        "quantity": 1,
                        "price_unit": fee,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        rate = format(company.dunning_interest_rate, ".2f") + " %"
        interest_product = company._get_dunning_product("interest")
        indemnity_product = company._get_dunning_product("indemnity")
        for item in line.item_ids:
            if item.interest_amount:
                invoice_lines.append(
                    Command.create(
                        {
                            "product_id": interest_product.id,
                            "name": self.env._(
                                "Late-payment interest on %(invoice)s: %(days)s days at %(rate)s",
                                invoice=item.move_id.name,
                                days=item.interest_days,
                                rate=rate,
                            ),
                            "quantity": 1,
                            "price_unit": item.interest_amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                )
            if item.indemnity_amount:
                invoice_lines.append(
                    Command.create(
                        {
                            "product_id": indemnity_product.id,
                            "name": self.env._(
                                "Fixed recovery indemnity on %(invoice)s (art. L441-10 Code de commerce)",
                                invoice=item.move_id.name,
                            ),
                            "quantity": 1,
                            "price_unit": item.indemnity_amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                )
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": line.partner_id.id,
            "invoice_date": self.date,
            "invoice_payment_term_id": False,
            "invoice_date_due": self.date + timedelta(days=CHARGE_PAYMENT_DAYS),
            "invoice_origin": self.display_name,
            "ref": self.env._("Dunning charges"),
            "service_dunning_charge": True,
            "dunning_charge_origin_ids": [Command.set(line.item_ids.filtered("effective_level_id").move_id.ids)],
            "invoice_line_ids": invoice_lines,
        }

    def _create_charge_moves(self, lines):
        if not lines:
            return
        missing = [kind for kind in ("fee", "interest", "indemnity") if not self.company_id._get_dunning_product(kind)]
        if missing:
            raise UserError(self.env._("Set the dunning charge products in the settings first."))
        moves = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create([self._prepare_charge_move_vals(line) for line in lines])
        )
        moves.action_post()
        for line, move in zip(lines, moves, strict=True):
            line.charge_move_id = move

    def _record_history(self, lines):
        """One history row per invoice reaching a new level, and the invoices' dunning fields."""
        history_vals = []
        moves_by_values = defaultdict(lambda: self.env["account.move"])
        for line in lines:
            for item in line.item_ids.filtered("effective_level_id"):
                level = item.effective_level_id
                history_vals.append(
                    {
                        "move_id": item.move_id.id,
                        "partner_id": line.partner_id.id,
                        "company_id": line.company_id.id,
                        "run_id": self.id,
                        "level_id": level.id,
                        "date": self.date,
                        "days_late": item.days_late,
                        "amount_residual": item.amount_residual,
                        "interest_amount": item.interest_amount,
                        "indemnity_amount": item.indemnity_amount,
                        "channels": ", ".join(line.level_id._get_channel_labels()),
                        "charge_move_id": line.charge_move_id.id,
                    }
                )
                key = (level.id, bool(item.interest_amount), bool(item.indemnity_amount))
                moves_by_values[key] |= item.move_id
        self.env["service.dunning.history"].sudo().create(history_vals)
        for (level_id, interest, indemnity), moves in moves_by_values.items():
            vals = {"dunning_level_id": level_id, "dunning_date": self.date}
            if interest:
                vals["dunning_interest_date"] = self.date
            if indemnity:
                vals["dunning_indemnity_charged"] = True
            # dunning fields only: the invoices' journal items have nothing to resynchronise
            moves.with_context(skip_invoice_sync=True).write(vals)
        bodies = {}
        for line in lines:
            for item in line.item_ids.filtered("effective_level_id"):
                bodies[item.move_id.id] = self.env._(
                    "Dunning level %(level)s reached on %(date)s (%(days)s days late, %(channels)s).",
                    level=item.effective_level_id.name,
                    date=self.date,
                    days=item.days_late,
                    channels=line.channels,
                )
        self.env["account.move"].browse(list(bodies))._message_log_batch(bodies=bodies)

    def _get_letter_report(self):
        return self.env.ref("service_management.action_report_service_dunning_letter")

    def _send_emails(self, lines, letters):
        """Queue the e-mails of ``lines``, all in one creation, each with its customer's letter from ``letters``."""
        with_email = lines.filtered(lambda line: line.partner_id.email)
        (lines - with_email).note = self.env._("No e-mail address: e-mail not sent.")
        # the letter printed for the batch is the e-mail's; any other report of the template is printed for all
        printed = {self._get_letter_report(): letters}
        vals_list = []
        for template, template_lines in with_email.grouped(lambda line: line.level_id.mail_template_id).items():
            vals_list += template_lines._service_prepare_template_mails(template, reports=printed)
        self.env["mail.mail"].sudo().create(vals_list)

    def _print_letters(self, lines, letters, rendered=None):
        """The letters of ``lines`` (from ``letters``) in one file, kept on the run until it is done:
        ``rendered`` (the PDF they were cut from) when given, else their letters merged."""
        if not lines:
            return
        content = rendered or join_documents([letters[line].raw for line in lines])
        name = self.env._("Dunning letters %(date)s.pdf", date=self.date)
        self.letter_batch_ids = [
            Command.link(self.env["ir.attachment"].create(self._prepare_letter_attachment_vals(content, name)).id)
        ]

    def _prepare_letter_attachment_vals(self, content, name):
        self.ensure_one()
        return {
            "name": name,
            "raw": content,
            "res_model": self._name,
            "res_id": self.id,
            "mimetype": "application/pdf",
        }

    def _schedule_calls(self, lines):
        activity_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": line.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (line.partner_id.user_id or self.env.user).id,
                    "date_deadline": self.date,
                    "summary": self.env._(
                        "Dunning call (%(level)s): %(amount)s overdue",
                        level=line.level_id.name,
                        amount=line.currency_id.format(line.amount_due),
                    ),
                }
                for line in lines
            ]
        )

    def _hand_off_to_agencies(self, lines):
        by_agency = defaultdict(lambda: self.env["res.partner"])
        for line in lines:
            by_agency[line.level_id.agency_partner_id] |= line.partner_id
        for agency, partners in by_agency.items():
            partners.write({"dunning_agency_partner_id": agency.id, "dunning_agency_date": self.date})

    def _log_on_customers(self, lines):
        bodies = {}
        for line in lines:
            invoices = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(invoice)s: %(amount)s, %(days)s days late, %(level)s",
                    invoice=item.move_id.name,
                    amount=line.currency_id.format(item.amount_residual),
                    days=item.days_late,
                    level=item.level_id.name,
                )
                for item in line.item_ids
            )
            header = self.env._(
                "Dunning %(level)s on %(date)s by %(channels)s: %(amount)s due, %(charges)s charged.",
                level=line.level_id.name,
                date=self.date,
                channels=line.channels,
                amount=line.currency_id.format(line.amount_due),
                charges=line.currency_id.format(line.charges_amount),
            )
            bodies[line.partner_id.id] = Markup("<p>%s</p><ul>%s</ul>") % (escape(header), invoices)
        self.env["res.partner"].browse(list(bodies))._message_log_batch(bodies=bodies)

    # Scheduled job ------------------------------------------------------------------------------

    @api.model
    def _cron_dunning(self):
        """Compute today's run of each company with a default policy, executing it when the policy says so.

        One company per batch; a run already there for today is left as it is, so the job can be rerun.
        """
        today = fields.Date.context_today(self)
        policies = self.env["service.dunning.policy"].search([("is_default", "=", True)])
        done_companies = self.search([("date", "=", today), ("company_id", "in", policies.company_id.ids)])
        todo = policies.filtered(
            lambda p: (
                p.company_id not in done_companies.company_id
                or (
                    p.auto_execute
                    and done_companies.filtered(lambda r, p=p: r.company_id == p.company_id).state
                    not in ("executing", "done")
                )
            )
        )
        if not todo:
            return
        policy = todo[0]
        run = self.with_company(policy.company_id)._get_or_create_run(policy.company_id, today)
        if policy.auto_execute and run.state in ("draft", "reviewed"):
            if run.state == "draft":
                run.action_review()
            run.action_execute()
        self.env["ir.cron"]._notify_progress(done=1, remaining=len(todo) - 1)

    @api.model
    def _cron_execute_runs(self, batch_size=200):
        """Execute the runs taken for execution, one batch of customers per call, the oldest run first.

        200 customers per call (one transaction, one wkhtmltopdf call for their letters): measured against 50,
        it halves the execution of 1,000 customers, each call still committing within half a minute."""
        runs = self.search([("state", "=", "executing")], order="execution_date, id")
        if not runs:
            return
        # the job started twice: the second worker leaves the run to the one executing it, without waiting
        self.env.cr.execute(
            "SELECT id FROM service_dunning_run WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [runs[0].id]
        )
        if not self.env.cr.fetchone():
            return
        run = runs[0]
        # the executor's rights in the run's company only, whatever companies the job was started from
        run = (
            run.with_user(run.executed_by_id or self.env.user)
            .with_context(allowed_company_ids=run.company_id.ids)
            ._with_code_write()
        )
        try:
            with self.env.cr.savepoint():
                done, remaining = run._execute_batch(batch_size)
        except Exception as error:  # noqa: BLE001 - recorded on the run, the other runs go on
            if self.env["service.contract"]._is_retryable_error(error):
                raise
            self.env.invalidate_all()
            # posted by the job's user, so that the executor is notified
            runs[0]._stop_execution(error)
            done, remaining = 0, 0
        others = self.env["service.dunning.run.line"].search_count(
            [("run_id", "in", (runs - runs[0]).ids), ("state", "=", "to_do")]
        )
        # a run finished without customers left still counts as work done, so that the job goes on
        self.env["ir.cron"]._notify_progress(done=done or 1, remaining=remaining + others + len(runs) - 1)

    @api.model
    def _create_demo_run(self, company):
        """Today's run of ``company``, computed and left for review."""
        return self.with_company(company)._get_or_create_run(company, fields.Date.context_today(self))
