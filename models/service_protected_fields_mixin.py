from odoo import api, models
from odoo.exceptions import AccessError


class _CodeWrite:
    """Marks a write made by the application itself: RPC carries only JSON, so no caller can forge it."""

    __slots__ = ()

    def __repr__(self):
        return "CODE_WRITE"


CODE_WRITE = _CodeWrite()
CODE_WRITE_KEY = "service_code_write"

# who reads prices and amounts (field ``groups=``): not the technicians
PRICE_GROUPS = (
    "service_management.group_service_user,service_management.group_service_credit_controller,"
    "account.group_account_invoice,account.group_account_readonly"
)
# who reads the billed periods of contracts: those with access to them, not the technicians
BILLING_GROUPS = (
    "service_management.group_service_manager,service_management.group_service_credit_controller,"
    "account.group_account_invoice"
)


def is_code_write(env):
    """Whether ``env`` is the application's own: the superuser, or a write marked by the code."""
    return env.su or env.context.get(CODE_WRITE_KEY) is CODE_WRITE


def with_code_write(records):
    """``records`` in an environment where the application writes fields users may not."""
    return records.with_context(**{CODE_WRITE_KEY: CODE_WRITE})


def describe_fields(model, field_names):
    return ", ".join(
        f'"{model._fields[name]._description_string(model.env) if name in model._fields else name}"'
        for name in field_names
    )


def check_protected_fields(model, field_names, protected_fields):
    """Refuse, naming them, the fields of ``protected_fields`` among ``field_names``, unless the code writes."""
    if is_code_write(model.env):
        return
    protected = sorted(set(field_names) & set(protected_fields))
    if protected:
        raise AccessError(
            model.env._(
                "%(fields)s of %(model)s are set by the application and cannot be changed by hand.",
                fields=describe_fields(model, protected),
                model=model._description,
            )
        )


class ServiceProtectedFieldsMixin(models.AbstractModel):
    """Fields the application computes and that drive money: nobody writes them by hand, through any door
    (a form, an import, RPC). Stored computed fields are written by the ORM without calling ``write()``,
    so the computation itself is never refused."""

    _name = "service.protected.fields.mixin"
    _description = "Fields Only the Application Writes"

    # names of the fields written only by the application
    _service_protected_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_fields(vals)
        return super().write(vals)

    def _with_code_write(self):
        """These records in an environment where the application writes fields users may not."""
        return with_code_write(self)

    def _is_code_write(self):
        return is_code_write(self.env)

    @api.model
    def _check_protected_fields(self, field_names):
        check_protected_fields(self, field_names, self._service_protected_fields)

    @api.model
    def _describe_fields(self, field_names):
        return describe_fields(self, field_names)

    def _is_technician_only(self):
        """Whether the current user works on site only: a technician, not a dispatcher, and not the code."""
        user = self.env.user
        return (
            not self._is_code_write()
            and user.has_group("service_management.group_service_technician")
            and not user.has_group("service_management.group_service_user")
        )

    @api.model
    def _get_mail_fields(self):
        """Fields of the chatter and activities: anyone who may write the record may follow it or log a note."""
        return (set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)) - {
            "id",
            "display_name",
        }

    def _check_technician_fields(self, field_names, allowed):
        """Refuse, naming them, the fields of ``field_names`` a technician may not write."""
        forbidden = sorted(set(field_names) - set(allowed) - self._get_mail_fields())
        if forbidden:
            raise AccessError(
                self.env._(
                    "A technician may not change %(fields)s of %(model)s.",
                    fields=self._describe_fields(forbidden),
                    model=self._description,
                )
            )
