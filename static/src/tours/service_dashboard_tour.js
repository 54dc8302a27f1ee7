import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_manager_dashboard_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_management.service_menu_root']",
            run: "click",
        },
        {
            content: "A manager lands on the Service dashboard",
            trigger: ".o_spreadsheet_dashboard_action .o_search_panel_category_value.active[data-name='Service']",
        },
        {
            content: "The dashboard is drawn, without a loading error",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-spreadsheet:not(:has(.o-grid-error))",
        },
        {
            content: "No error message",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
    ],
});

registry.category("web_tour.tours").add("service_technician_home_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_management.service_menu_root']",
            run: "click",
        },
        {
            content: "A technician lands on My Day",
            trigger: ".o_breadcrumb:contains(My Day)",
        },
    ],
});
