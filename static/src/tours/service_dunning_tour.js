import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_dunning_run_tour", {
    steps: () => [
        {
            content: "The run proposes the customers to dun",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Dunned Customer)",
        },
        {
            content: "The run is titled with its date in the user's format",
            trigger: ".o_form_view .oe_title:contains(Dunning of 02/01/2031)",
        },
        {
            content: "Each customer's overdue invoices are listed inline, with their days late",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Dunned Customer) td[name='invoice_summary']:contains(20 d)",
        },
        {
            content: "The level is named in full",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Dunned Customer) td[name='level_id']:contains(Second reminder with recovery indemnity)",
        },
        {
            content: "Preview the letter of that customer",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Dunned Customer) button[name='action_preview_letter']",
            run: "click",
        },
        {
            content: "The letter greets the customer and says how to pay",
            trigger: ":iframe .o_dunning_payment:contains(IBAN)",
        },
        {
            content: "The letter is signed",
            trigger: ":iframe .o_dunning_signature",
        },
        {
            content: "Back to the run",
            trigger: ".o_breadcrumb li.o_back_button",
            run: "click",
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
