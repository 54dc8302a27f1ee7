import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_dunning_run_tour", {
    steps: () => [
        {
            content: "The run proposes the customers to dun",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Dunned Customer)",
        },
        {
            content: "Exclude one customer",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Excluded Customer) button[name='action_exclude']",
            run: "click",
        },
        {
            content: "It is excluded",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Excluded Customer) td:contains(Excluded)",
        },
        {
            content: "Mark the run as reviewed",
            trigger: ".o_form_view button[name='action_review']",
            run: "click",
        },
        {
            content: "Execute it",
            trigger: ".o_form_view button[name='action_execute']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The run is executed in the background",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Executing)",
        },
        {
            content: "Its progress is shown",
            trigger: ".o_form_view .alert-info:contains(background) .o_progressbar",
        },
    ],
});
