import { registry } from "@web/core/registry";

const TECHNICIAN_ROW = "tr.o_service_dispatch_row:has(.o_service_dispatch_technician_name:contains(Tour Dispatch Technician))";

registry.category("web_tour.tours").add("service_dispatch_board_tour", {
    steps: () => [
        {
            content: "The board shows the technician as a row",
            trigger: `.o_service_dispatch_board ${TECHNICIAN_ROW}`,
        },
        {
            content: "Drag the unplanned call onto the technician's Wednesday",
            trigger: ".o_service_dispatch_unplanned .o_service_dispatch_card:contains(Tour Dispatch Customer)",
            run: `drag_and_drop ${TECHNICIAN_ROW} td.o_service_dispatch_cell[data-weekday='2']`,
        },
        {
            content: "The card is now in the technician's Wednesday cell",
            trigger: `${TECHNICIAN_ROW} td.o_service_dispatch_cell[data-weekday='2'] .o_service_dispatch_card:contains(Tour Dispatch Customer)`,
        },
        {
            content: "It left the unplanned list",
            trigger: ".o_service_dispatch_unplanned:not(:has(.o_service_dispatch_card:contains(Tour Dispatch Customer)))",
        },
        {
            content: "It starts at the technician's first working hour",
            trigger: `${TECHNICIAN_ROW} .o_service_dispatch_card:contains(Tour Dispatch Customer) .o_service_dispatch_time:contains(08:00)`,
        },
        {
            content: "Go to the next week: the card is not there",
            trigger: ".o_service_dispatch_next",
            run: "click",
        },
        {
            trigger: `${TECHNICIAN_ROW}:not(:has(.o_service_dispatch_card:contains(Tour Dispatch Customer)))`,
        },
        {
            content: "Back to this week: the card is on Wednesday",
            trigger: ".o_service_dispatch_today",
            run: "click",
        },
        {
            trigger: `${TECHNICIAN_ROW} td.o_service_dispatch_cell[data-weekday='2'] .o_service_dispatch_card:contains(Tour Dispatch Customer)`,
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
