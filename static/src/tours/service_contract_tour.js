import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_contract_from_template_tour", {
    steps: () => [
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Syndic Contrat Tour",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains(Syndic Contrat Tour)",
            run: "click",
        },
        {
            content: "Start from a template",
            trigger: ".o_field_widget[name='template_id'] input",
            run: "edit Tour Full Cover",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains(Tour Full Cover)",
            run: "click",
        },
        {
            content: "The template's line is there",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains(Tour Lift Service)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the contract",
            trigger: ".o_form_view button[name='action_start']",
            run: "click",
        },
        {
            content: "It is running",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
        {
            content: "Amend it",
            trigger: ".o_form_view button[name='action_open_amend_wizard']",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit New price agreed with the customer",
        },
        {
            content: "Edit the price of the line",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row .o_data_cell[name='price_unit']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row [name='price_unit'] input",
            run: "edit 1500",
        },
        {
            content: "Apply the amendment",
            trigger: ".modal button[name='action_amend']",
            run: "click",
        },
        {
            content: "The amendment is counted on the contract",
            trigger: ".o_form_view button[name='action_view_amendments'] .o_stat_value:contains(1)",
        },
    ],
});
