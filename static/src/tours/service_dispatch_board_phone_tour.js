import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

const CARD = ".o_service_dispatch_card:contains(Tour Dispatch Customer)";
// next week's Wednesday in the dispatcher's timezone, as the test plans it
const NEXT_WEDNESDAY = luxon.DateTime.now().setZone("Europe/Paris").startOf("week").plus({ days: 9 }).toISODate();

function setDate(selector) {
    return () => {
        const input = document.querySelector(selector);
        // typed in the user's date format, as the date picker reads it
        input.value = formatDate(luxon.DateTime.fromISO(NEXT_WEDNESDAY));
        input.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

function assertNoSidewaysScroll() {
    if (document.scrollingElement.scrollWidth > window.innerWidth) {
        throw new Error(`The board scrolls sideways: ${document.scrollingElement.scrollWidth}px`);
    }
}

registry.category("web_tour.tours").add("service_dispatch_board_phone_tour", {
    steps: () => [
        {
            content: "On a phone the board shows one day and one technician, without sideways scrolling",
            trigger: ".o_service_dispatch_phone .o_service_dispatch_phone_day",
            run: assertNoSidewaysScroll,
        },
        {
            content: "Choose the technician",
            trigger: ".o_service_dispatch_phone select.o_service_dispatch_phone_technician",
            run: "selectByLabel Tour Dispatch Technician",
        },
        {
            content: "Show the unplanned calls",
            trigger: ".o_service_dispatch_phone_unplanned_toggle",
            run: "click",
        },
        {
            content: "Tap the unplanned call: no drag on a phone",
            trigger: `.o_service_dispatch_phone .o_service_dispatch_unplanned ${CARD}`,
            run: "click",
        },
        {
            content: "A small dialog plans it: the technician is the one on screen",
            trigger: ".o_service_dispatch_plan_dialog select.o_service_dispatch_plan_technician",
            run: "selectByLabel Tour Dispatch Technician",
        },
        {
            content: "Pick next Wednesday",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_date input",
            run: setDate(".o_service_dispatch_plan_dialog .o_service_dispatch_plan_date input"),
        },
        {
            content: "The first free slot after the job booked at 08:00 is proposed",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_proposed:contains(09:00 - 11:00)",
            run: assertNoSidewaysScroll,
        },
        {
            content: "Confirm it",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_confirm:enabled",
            run: "click",
        },
        {
            trigger: ".o_notification:contains(Planned:)",
        },
        {
            content: "The call left the unplanned list",
            trigger: `.o_service_dispatch_phone .o_service_dispatch_unplanned:not(:has(${CARD}))`,
        },
        {
            content: "Back to the technician's day",
            trigger: ".o_service_dispatch_phone_unplanned_toggle",
            run: "click",
        },
        {
            content: "Go to next Wednesday",
            trigger: ".o_control_panel .o_service_dispatch_date input",
            run: setDate(".o_control_panel .o_service_dispatch_date input"),
        },
        {
            content: "The call is stacked in the technician's day at its time",
            trigger: `.o_service_dispatch_phone_cell[data-date='${NEXT_WEDNESDAY}'] ${CARD} .o_service_dispatch_time:contains(09:00 - 11:00)`,
        },
        {
            content: "The arrows move one day",
            trigger: ".o_service_dispatch_phone_next",
            run: "click",
        },
        {
            trigger: `.o_service_dispatch_phone_cell:not([data-date='${NEXT_WEDNESDAY}']):not(:has(${CARD}))`,
        },
        {
            trigger: ".o_service_dispatch_phone_previous",
            run: "click",
        },
        {
            content: "Tap the card",
            trigger: `.o_service_dispatch_phone_cell[data-date='${NEXT_WEDNESDAY}'] ${CARD}`,
            run: "click",
        },
        {
            content: "and open the intervention",
            trigger: ".o_service_dispatch_plan_dialog .o_service_dispatch_plan_open",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(Tour Dispatch Customer)",
        },
    ],
});
