import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_equipment_from_customer_tour", {
    steps: () => [
        {
            content: "Open the customer's equipment from the smart button",
            trigger: ".o_form_view button[name='action_view_service_equipment']",
            run: "click",
        },
        {
            content: "Create an equipment for this customer",
            trigger: ".o_list_view .o_list_button_add, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "The customer is already set",
            trigger: ".o_field_widget[name='partner_id'] input:value(Syndic Tour Gestion)",
        },
        {
            content: "Name the equipment",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Ascenseur B - Tour",
        },
        {
            content: "Enter its serial number",
            trigger: ".o_field_widget[name='serial_no'] input",
            run: "edit TOUR-0001",
        },
        {
            content: "Choose the site",
            trigger: ".o_field_widget[name='site_id'] input",
            run: "edit Les Platanes",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains(Les Platanes)",
            run: "click",
        },
        {
            content: "Choose the category",
            trigger: ".o_field_widget[name='category_id'] input",
            run: "edit Tour Lifts",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains(Tour Lifts)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the breadcrumb shows the new equipment",
            trigger: ".o_breadcrumb .active:contains(Ascenseur B - Tour)",
        },
        {
            content: "Commission it",
            trigger: ".o_form_view button[name='action_commission']",
            run: "click",
        },
        {
            content: "The own warranty is shown",
            trigger: ".o_field_widget[name='warranty_ids'] .o_data_row:contains(Own)",
        },
    ],
});
