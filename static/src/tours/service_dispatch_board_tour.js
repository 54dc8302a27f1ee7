import { registry } from "@web/core/registry";

const TECHNICIAN_ROW = "tr.o_service_dispatch_row:has(.o_service_dispatch_technician_name:contains(Tour Dispatch Technician))";
const WEDNESDAY = `${TECHNICIAN_ROW} td.o_service_dispatch_cell[data-weekday='2']`;
const CARD = ".o_service_dispatch_card:contains(Tour Dispatch Customer)";

registry.category("web_tour.tours").add("service_dispatch_board_tour", {
    steps: () => [
        {
            content: "The dispatcher lands on the board, the technician as a row",
            trigger: `.o_service_dispatch_board ${TECHNICIAN_ROW}`,
        },
        {
            content: "The unplanned call shows its full reference, type and SLA deadline",
            trigger: `.o_service_dispatch_unplanned ${CARD}:has(.o_service_dispatch_card_name:contains(INT/)):has(.o_service_dispatch_type:contains(Corrective)):has(.o_service_dispatch_sla:contains(SLA))`,
        },
        {
            content: "Days are headed in one date format with a time axis",
            trigger: ".o_service_dispatch_day:first .o_service_dispatch_axis_ticks .o_service_dispatch_tick:contains(8)",
        },
        {
            content: "Go to next week",
            trigger: ".o_service_dispatch_next",
            run: "click",
        },
        {
            content: "The technician's working hours are drawn on the time axis",
            trigger: `${WEDNESDAY} .o_service_dispatch_timeline .o_service_dispatch_work`,
        },
        {
            content: "Drag the unplanned call onto the technician's Wednesday",
            trigger: `.o_service_dispatch_unplanned ${CARD}`,
            run: `drag_and_drop ${WEDNESDAY}`,
        },
        {
            content: "Nothing is written yet: the board proposes the first free slot, after the job booked at 08:00",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_proposed:contains(Tour Dispatch Technician):contains(09:00 - 11:00)",
        },
        {
            trigger: `.o_service_dispatch_unplanned ${CARD}`,
        },
        {
            content: "The dispatcher prefers half an hour later",
            trigger: ".o_service_dispatch_plan_dialog select.o_service_dispatch_plan_start",
            run: "selectByLabel 09:30 - 11:30",
        },
        {
            content: "and confirms",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_confirm:enabled",
            run: "click",
        },
        {
            content: "The board says when it was planned",
            trigger: ".o_notification:contains(Planned:)",
        },
        {
            content: "The card is in the technician's Wednesday at the chosen time",
            trigger: `${WEDNESDAY} ${CARD} .o_service_dispatch_time:contains(09:30 - 11:30)`,
        },
        {
            content: "It left the unplanned list",
            trigger: `.o_service_dispatch_unplanned:not(:has(${CARD}))`,
        },
        {
            content: "The day's load against the technician's hours",
            trigger: `${WEDNESDAY} .o_service_dispatch_load:contains(3 h / 8 h)`,
        },
        {
            content: "Back to this week: the card is not there",
            trigger: ".o_service_dispatch_today",
            run: "click",
        },
        {
            trigger: `${TECHNICIAN_ROW}:not(:has(${CARD}))`,
        },
        {
            content: "Filter the board on the Loire",
            trigger: ".o_service_dispatch_zone_filter",
            run: "click",
        },
        {
            trigger: ".o_service_dispatch_zone:contains(Loire)",
            run: "click",
        },
        {
            content: "The technician of Lyon North has no row in the Loire",
            trigger: `.o_service_dispatch_board:not(:has(${TECHNICIAN_ROW})):has(.o_service_dispatch_zone_filter:contains(Loire))`,
        },
    ],
});
