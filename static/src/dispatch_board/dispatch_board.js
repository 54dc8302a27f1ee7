import { Component, onWillStart, useState } from "@odoo/owl";
import { CheckboxItem } from "@web/core/dropdown/checkbox_item";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { useSetupAction } from "@web/search/action_hook";

const { DateTime } = luxon;

/**
 * Monday of the week of ``date`` (a luxon DateTime), as an ISO date string.
 */
function weekStartOf(date) {
    return date.startOf("day").minus({ days: date.weekday - 1 }).toISODate();
}

export class DispatchBoard extends Component {
    static template = "service_management.DispatchBoard";
    static components = { Dropdown, CheckboxItem };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        const saved = this.props.state || {};
        this.state = useState({
            weekStart: saved.weekStart || weekStartOf(DateTime.local()),
            zoneIds: saved.zoneIds || [],
            companyIds: saved.companyIds || [],
            data: null,
            loading: false,
            dragOver: null,
            dragged: null,
        });
        useSetupAction({
            getLocalState: () => ({
                weekStart: this.state.weekStart,
                zoneIds: this.state.zoneIds,
                companyIds: this.state.companyIds,
            }),
        });
        onWillStart(() => this.load());
    }

    // ------------------------------------------------------------------
    // Data
    // ------------------------------------------------------------------

    async load() {
        this.state.loading = true;
        try {
            const data = await this.orm.call("service.intervention", "get_dispatch_board_data", [
                this.state.weekStart,
                this.state.zoneIds,
                this.state.companyIds,
            ]);
            this.state.data = data;
            this.state.companyIds = data.selected_company_ids;
            this.state.zoneIds = data.selected_zone_ids;
        } finally {
            this.state.loading = false;
        }
    }

    cellCards(technicianId, date) {
        return this.state.data.cells[`${technicianId}_${date}`] || [];
    }

    get weekLabel() {
        const start = DateTime.fromISO(this.state.weekStart);
        const end = start.plus({ days: 6 });
        return `${start.toLocaleString(DateTime.DATE_MED)} - ${end.toLocaleString(DateTime.DATE_MED)}`;
    }

    dayName(day) {
        return DateTime.fromISO(day.date).toFormat("ccc dd/LL");
    }

    get zoneLabel() {
        const selected = this.state.data.zones.filter((zone) => this.state.zoneIds.includes(zone.id));
        return selected.length ? selected.map((zone) => zone.name).join(", ") : _t("All Zones");
    }

    get companyLabel() {
        const selected = this.state.data.companies.filter((company) =>
            this.state.companyIds.includes(company.id)
        );
        return selected.map((company) => company.name).join(", ");
    }

    get unplannedTotal() {
        return this.state.data.unplanned.reduce((total, group) => total + group.cards.length, 0);
    }

    priorityStars(card) {
        return Number(card.priority) || 0;
    }

    // ------------------------------------------------------------------
    // Filters and week picker
    // ------------------------------------------------------------------

    async setWeek(isoDate) {
        this.state.weekStart = weekStartOf(DateTime.fromISO(isoDate));
        await this.load();
    }

    onPreviousWeek() {
        return this.setWeek(DateTime.fromISO(this.state.weekStart).minus({ weeks: 1 }).toISODate());
    }

    onToday() {
        return this.setWeek(DateTime.local().toISODate());
    }

    onNextWeek() {
        return this.setWeek(DateTime.fromISO(this.state.weekStart).plus({ weeks: 1 }).toISODate());
    }

    onDateChange(ev) {
        if (ev.target.value) {
            return this.setWeek(ev.target.value);
        }
    }

    toggleZone(zoneId) {
        const zoneIds = new Set(this.state.zoneIds);
        zoneIds.has(zoneId) ? zoneIds.delete(zoneId) : zoneIds.add(zoneId);
        this.state.zoneIds = [...zoneIds];
        return this.load();
    }

    clearZones() {
        this.state.zoneIds = [];
        return this.load();
    }

    toggleCompany(companyId) {
        const companyIds = new Set(this.state.companyIds);
        if (companyIds.has(companyId)) {
            if (companyIds.size === 1) {
                return;
            }
            companyIds.delete(companyId);
        } else {
            companyIds.add(companyId);
        }
        this.state.companyIds = [...companyIds];
        return this.load();
    }

    // ------------------------------------------------------------------
    // Cards: open, drag and drop
    // ------------------------------------------------------------------

    openCard(card) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "service.intervention",
            res_id: card.id,
            views: [[false, "form"]],
        });
    }

    onDragStart(ev, card) {
        if (!card.draggable) {
            ev.preventDefault();
            return;
        }
        this.state.dragged = card.id;
        if (ev.dataTransfer) {
            ev.dataTransfer.effectAllowed = "move";
            ev.dataTransfer.setData("text/plain", String(card.id));
        }
    }

    onDragEnd() {
        this.state.dragged = null;
        this.state.dragOver = null;
    }

    onDragOver(ev, technicianId, date) {
        if (!this.state.dragged) {
            return;
        }
        ev.preventDefault();
        if (ev.dataTransfer) {
            ev.dataTransfer.dropEffect = "move";
        }
        this.state.dragOver = `${technicianId}_${date}`;
    }

    onDragLeave(ev, technicianId, date) {
        if (this.state.dragOver === `${technicianId}_${date}` && !ev.currentTarget.contains(ev.relatedTarget)) {
            this.state.dragOver = null;
        }
    }

    async onDrop(ev, technicianId, date) {
        ev.preventDefault();
        const interventionId = this.state.dragged;
        this.state.dragged = null;
        this.state.dragOver = null;
        if (!interventionId) {
            return;
        }
        try {
            await this.orm.call("service.intervention", "action_dispatch_plan", [
                [interventionId],
                technicianId,
                date,
            ]);
        } catch (error) {
            this.notification.add(error.data?.message || error.message, {
                title: _t("This intervention cannot be planned there"),
                type: "danger",
            });
        }
        await this.load();
    }
}

registry.category("actions").add("service_dispatch_board", DispatchBoard);
