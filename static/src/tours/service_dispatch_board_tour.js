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
    ],
});
