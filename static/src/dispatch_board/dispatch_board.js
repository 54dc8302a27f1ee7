import { Component, onWillStart, onWillUnmount, useExternalListener, useRef, useState } from "@odoo/owl";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { CheckboxItem } from "@web/core/dropdown/checkbox_item";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { useSetupAction } from "@web/search/action_hook";
import { DispatchPlanDialog } from "./dispatch_plan_dialog";

const { DateTime } = luxon;
const DRAG_THRESHOLD = 4; // pixels the pointer moves before a press becomes a drag
// the hours of the day shown by each cell's time axis
const AXIS_START = 6;
const AXIS_END = 20;
const EMPTY_SCHEDULE = { work: [], leaves: [], capacity: 0 };
const SWIPE_DISTANCE = 60; // pixels a finger travels sideways to change the day on a phone

/**
 * Monday of the week of ``date`` (a luxon DateTime), as an ISO date string.
 */
function weekStartOf(date) {
    return date.startOf("day").minus({ days: date.weekday - 1 }).toISODate();
}

export class DispatchBoard extends Component {
    static template = "service_management.DispatchBoard";
    static components = { Dropdown, CheckboxItem, DateTimeInput };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.dialog = useService("dialog");
        this.ui = useService("ui");
        const saved = this.props.state || {};
        this.state = useState({
            weekStart: saved.weekStart || null, // the server's today when empty
            zoneIds: saved.zoneIds || [],
            companyIds: saved.companyIds || [],
            data: null,
            loading: false,
            dragOver: null, // "technicianId_date" of the cell under the dragged card
            dragged: null, // id of the dragged card
            // on a phone: one technician and one day at a time, or the unplanned calls
            phoneDay: saved.phoneDay || null,
            phoneTechnicianId: saved.phoneTechnicianId || null,
            phoneUnplanned: false,
        });
        useSetupAction({
            getLocalState: () => ({
                weekStart: this.state.weekStart,
                zoneIds: this.state.zoneIds,
                companyIds: this.state.companyIds,
                phoneDay: this.state.phoneDay,
                phoneTechnicianId: this.state.phoneTechnicianId,
            }),
        });
        this.touch = null;
        this.wantedPhoneDay = null; // the day to show on a phone once its week is loaded
        this.gridRef = useRef("grid");
        this.drag = null;
        this.dragJustEnded = false;
        useExternalListener(window, "pointermove", this.onPointerMove);
        useExternalListener(window, "pointerup", this.onPointerUp);
        useExternalListener(window, "pointercancel", () => this.cancelDrag());
        useExternalListener(window, "keydown", this.onKeyDown);
        onWillUnmount(() => this.cancelDrag());
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
            this.state.weekStart = data.week_start;
            this.state.companyIds = data.selected_company_ids;
            this.state.zoneIds = data.selected_zone_ids;
            this.fitPhoneSelection();
        } finally {
            this.state.loading = false;
        }
    }

    cellCards(technicianId, date) {
        return this.state.data.cells[`${technicianId}_${date}`] || [];
    }

    get weekLabel() {
        return this.state.data.week_label;
    }

    get axisTicks() {
        return [8, 12, 16];
    }

    schedule(technicianId, date) {
        return this.state.data.schedules[`${technicianId}_${date}`] || EMPTY_SCHEDULE;
    }

    bookedCards(technicianId, date) {
        return this.cellCards(technicianId, date).filter((card) => card.start_hour !== false);
    }

    /**
     * The hours of work planned for a technician on a day, as lead or helper.
     */
    dayLoad(technicianId, date) {
        return this.cellCards(technicianId, date)
            .filter((card) => card.state !== "cancelled")
            .reduce((total, card) => total + card.duration, 0);
    }

    formatHours(hours) {
        return `${Math.round(hours * 10) / 10} h`;
    }

    /**
     * The CSS placing a span of hours of the day on the time axis (hidden when outside the axis).
     */
    axisStyle(from, to) {
        const start = Math.max(from, AXIS_START);
        const end = Math.min(to, AXIS_END);
        if (end <= start) {
            return "display: none;";
        }
        const length = AXIS_END - AXIS_START;
        return `left: ${((start - AXIS_START) / length) * 100}%; width: ${((end - start) / length) * 100}%;`;
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
    // Phone: one technician, one day
    // ------------------------------------------------------------------

    get isPhone() {
        return this.ui.isSmall;
    }

    /**
     * Keep the phone's day within the loaded week (today when it is in it) and its technician among the rows.
     */
    fitPhoneSelection() {
        const days = this.state.data.days;
        if (days.some((day) => day.date === this.wantedPhoneDay)) {
            this.state.phoneDay = this.wantedPhoneDay;
        }
        this.wantedPhoneDay = null;
        if (!days.some((day) => day.date === this.state.phoneDay)) {
            this.state.phoneDay = (days.find((day) => day.today) || days[0]).date;
        }
        const technicians = this.state.data.technicians;
        if (!technicians.some((technician) => technician.id === this.state.phoneTechnicianId)) {
            this.state.phoneTechnicianId = technicians[0]?.id || null;
        }
    }

    get phoneDay() {
        return this.state.data.days.find((day) => day.date === this.state.phoneDay);
    }

    get phoneTechnician() {
        return this.state.data.technicians.find((technician) => technician.id === this.state.phoneTechnicianId);
    }

    async shiftPhoneDay(step) {
        const target = DateTime.fromISO(this.state.phoneDay).plus({ days: step }).toISODate();
        if (this.state.data.days.some((day) => day.date === target)) {
            this.state.phoneDay = target;
        } else {
            this.wantedPhoneDay = target;
            await this.setWeek(target);
        }
    }

    onPhoneTechnicianChange(ev) {
        this.state.phoneTechnicianId = Number(ev.target.value);
        this.state.phoneUnplanned = false;
    }

    togglePhoneUnplanned() {
        this.state.phoneUnplanned = !this.state.phoneUnplanned;
    }

    onTouchStart(ev) {
        const touch = ev.changedTouches[0];
        this.touch = { x: touch.clientX, y: touch.clientY };
    }

    onTouchEnd(ev) {
        if (!this.touch) {
            return;
        }
        const touch = ev.changedTouches[0];
        const dx = touch.clientX - this.touch.x;
        const dy = touch.clientY - this.touch.y;
        this.touch = null;
        if (Math.abs(dx) > SWIPE_DISTANCE && Math.abs(dx) > 2 * Math.abs(dy)) {
            return this.shiftPhoneDay(dx < 0 ? 1 : -1);
        }
    }

    // ------------------------------------------------------------------
    // Filters and week picker
    // ------------------------------------------------------------------

    async setWeek(isoDate) {
        this.state.weekStart = isoDate && weekStartOf(DateTime.fromISO(isoDate));
        await this.load();
    }

    onPreviousWeek() {
        return this.setWeek(DateTime.fromISO(this.state.weekStart).minus({ weeks: 1 }).toISODate());
    }

    onToday() {
        return this.setWeek(null);
    }

    onNextWeek() {
        return this.setWeek(DateTime.fromISO(this.state.weekStart).plus({ weeks: 1 }).toISODate());
    }

    /**
     * The date shown by the date picker, in the user's format: the day on a phone, else the week's Monday.
     */
    get dateInputValue() {
        return DateTime.fromISO((this.isPhone && this.state.phoneDay) || this.state.weekStart);
    }

    onDateChange(value) {
        if (value) {
            this.wantedPhoneDay = value.toISODate();
            return this.setWeek(this.wantedPhoneDay);
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
        if (this.dragJustEnded) {
            return;
        }
        if (this.isPhone) {
            // no drag on a phone: a tap offers to open, reassign or reschedule the card
            return this.plan(card, card.user_id || this.state.phoneTechnicianId, card.day || this.state.phoneDay);
        }
        return this.openForm(card);
    }

    openForm(card) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "service.intervention",
            res_id: card.id,
            views: [[false, "form"]],
        });
    }

    // The drag is made of pointer events (not the HTML drag and drop API): it works the same with a
    // mouse, a pen, and the pointer events that tours and tests dispatch.

    onCardPointerDown(ev, card) {
        if (!card.draggable || ev.button !== 0 || this.isPhone) {
            return;
        }
        const rect = ev.currentTarget.getBoundingClientRect();
        this.drag = {
            card,
            element: ev.currentTarget,
            startX: ev.clientX,
            startY: ev.clientY,
            offsetX: ev.clientX - rect.left,
            offsetY: ev.clientY - rect.top,
            active: false,
            ghost: null,
        };
    }

    onPointerMove(ev) {
        const drag = this.drag;
        if (!drag) {
            return;
        }
        if (!drag.active) {
            if (Math.hypot(ev.clientX - drag.startX, ev.clientY - drag.startY) < DRAG_THRESHOLD) {
                return;
            }
            drag.active = true;
            drag.ghost = drag.element.cloneNode(true);
            drag.ghost.classList.add("o_service_dispatch_ghost");
            drag.ghost.style.width = `${drag.element.offsetWidth}px`;
            document.body.appendChild(drag.ghost);
            document.body.classList.add("o_service_dispatch_dragging");
            this.state.dragged = drag.card.id;
        }
        drag.ghost.style.left = `${ev.clientX - drag.offsetX}px`;
        drag.ghost.style.top = `${ev.clientY - drag.offsetY}px`;
        const cell = this.cellFromEvent(ev);
        this.state.dragOver = cell ? `${cell.dataset.technicianId}_${cell.dataset.date}` : null;
        this.autoScroll(ev);
    }

    onPointerUp(ev) {
        const drag = this.drag;
        if (!drag) {
            return;
        }
        const cell = drag.active && this.cellFromEvent(ev);
        this.cancelDrag();
        if (!drag.active) {
            return;
        }
        // the click that follows the release must not open the card
        this.dragJustEnded = true;
        setTimeout(() => (this.dragJustEnded = false));
        if (cell) {
            const technicianId = Number(cell.dataset.technicianId);
            const date = cell.dataset.date;
            if (drag.card.user_id !== technicianId || drag.card.day !== date) {
                return this.plan(drag.card, technicianId, date);
            }
        }
    }

    onKeyDown(ev) {
        if (ev.key === "Escape" && this.drag) {
            this.cancelDrag();
        }
    }

    cancelDrag() {
        if (this.drag?.ghost) {
            this.drag.ghost.remove();
        }
        document.body.classList.remove("o_service_dispatch_dragging");
        this.drag = null;
        this.state.dragged = null;
        this.state.dragOver = null;
    }

    cellFromEvent(ev) {
        let element = ev.target instanceof Element ? ev.target : null;
        if (!element?.closest(".o_service_dispatch_cell")) {
            element = document.elementFromPoint(ev.clientX, ev.clientY);
        }
        return element?.closest(".o_service_dispatch_board .o_service_dispatch_cell") || null;
    }

    autoScroll(ev) {
        const grid = this.gridRef.el;
        if (!grid) {
            return;
        }
        const rect = grid.getBoundingClientRect();
        const margin = 40;
        if (ev.clientY > rect.bottom - margin && ev.clientY < rect.bottom) {
            grid.scrollTop += 20;
        } else if (ev.clientY < rect.top + margin && ev.clientY > rect.top) {
            grid.scrollTop -= 20;
        }
        if (ev.clientX > rect.right - margin && ev.clientX < rect.right) {
            grid.scrollLeft += 20;
        } else if (ev.clientX < rect.left + margin && ev.clientX > rect.left) {
            grid.scrollLeft -= 20;
        }
    }

    /**
     * Propose the first free slot of the technician's day for the card; the dispatcher confirms it or
     * picks another start, technician or day before anything is written.
     */
    plan(card, technicianId, date) {
        this.dialog.add(DispatchPlanDialog, {
            card,
            technicians: this.state.data.technicians,
            technicianId,
            date,
            onPlanned: () => this.load(),
            onOpen: this.isPhone ? (openedCard) => this.openForm(openedCard) : undefined,
        });
    }
}

registry.category("actions").add("service_dispatch_board", DispatchBoard);
