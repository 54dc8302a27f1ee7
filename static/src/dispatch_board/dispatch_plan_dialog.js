import { Component, onWillStart, useState } from "@odoo/owl";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

/**
 * Plans a card for a technician and a day: shows the first free slot the server proposes and the other
 * start times that fit, and writes nothing until the dispatcher confirms. Opened when a card is dropped on
 * the board, and on a phone when a card is tapped (there it also opens the intervention: no drag needed).
 */
export class DispatchPlanDialog extends Component {
    static template = "service_management.DispatchPlanDialog";
    static components = { Dialog, DateTimeInput };
    static props = {
        card: Object,
        technicians: Array,
        technicianId: { type: Number, optional: true },
        date: String,
        onPlanned: Function,
        onOpen: { type: Function, optional: true },
        close: Function,
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({
            technicianId: this.props.technicianId || this.props.card.user_id || this.props.technicians[0]?.id,
            date: this.props.date,
            proposal: null,
            start: null,
            loading: false,
            saving: false,
        });
        onWillStart(() => this.loadSlots());
    }

    get proposalText() {
        const proposal = this.state.proposal;
        return _t("First free slot of %(technician)s on %(day)s: %(slot)s (%(duration)s)", {
            technician: proposal.technician,
            day: proposal.day_label,
            slot: proposal.slots[0].label,
            duration: proposal.duration_label,
        });
    }

    get canPlan() {
        return this.props.card.draggable;
    }

    async loadSlots() {
        if (!this.canPlan || !this.state.technicianId || !this.state.date) {
            this.state.proposal = null;
            return;
        }
        this.state.loading = true;
        try {
            const proposal = await this.orm.call("service.intervention", "get_dispatch_slots", [
                [this.props.card.id],
                this.state.technicianId,
                this.state.date,
            ]);
            this.state.proposal = proposal;
            this.state.start = proposal.slots.length ? proposal.slots[0].start : null;
        } catch (error) {
            this.state.proposal = { slots: [], message: error.data?.message || error.message };
            this.state.start = null;
        } finally {
            this.state.loading = false;
        }
    }

    onTechnicianChange(ev) {
        this.state.technicianId = Number(ev.target.value);
        return this.loadSlots();
    }

    get dateValue() {
        return luxon.DateTime.fromISO(this.state.date);
    }

    onDateChange(value) {
        if (!value) {
            return;
        }
        this.state.date = value.toISODate();
        return this.loadSlots();
    }

    onStartChange(ev) {
        this.state.start = ev.target.value;
    }

    async onConfirm() {
        if (!this.state.start || this.state.saving) {
            return;
        }
        this.state.saving = true;
        try {
            const result = await this.orm.call("service.intervention", "action_dispatch_plan", [
                [this.props.card.id],
                this.state.technicianId,
                this.state.date,
                this.state.start,
            ]);
            this.notification.add(_t("Planned: %s", result.planned_start_label), {
                title: this.props.card.name,
                type: "success",
            });
            this.props.close();
            await this.props.onPlanned(result);
        } catch (error) {
            this.notification.add(error.data?.message || error.message, {
                title: _t("%s cannot be planned there", this.props.card.name),
                type: "danger",
            });
            this.state.saving = false;
            await this.loadSlots();
        }
    }

    onOpen() {
        this.props.close();
        this.props.onOpen(this.props.card);
    }
}
