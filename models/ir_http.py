from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        if info.get("uid") and not info.get("home_action_id"):
            action = self.env.user._get_service_home_action()
            if action:
                info["home_action_id"] = action.id
        return info
