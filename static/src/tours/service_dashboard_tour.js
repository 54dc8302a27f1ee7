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
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Reporting)",
            run: "click",
        },
        {
            content: "Open the cash forecast",
            trigger: ".dropdown-item[data-menu-xmlid='service_management.service_forecast_line_menu']",
            run: "click",
        },
        {
            content: "The forecast's graph opens on the expected scenario",
            trigger: ".o_graph_view .o_searchview_facet:contains(Expected)",
        },
        {
            content: "Open the measures",
            trigger: ".o_graph_view button:contains(Measures)",
            run: "click",
        },
        {
            content: "It totals the company-currency amount",
            trigger: ".o_menu_item.selected:contains(Net Flow (Company Currency))",
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
