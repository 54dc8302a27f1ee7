import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_billing_review_tour", {
    steps: () => [
        {
            content: "The billing clerk lands on the invoices to review",
            trigger: ".o_breadcrumb:contains(Invoices to Review)",
        },
        {
            content: "Each invoice shows its contract, period and source",
            trigger:
                ".o_list_view .o_data_row:contains(Tour Review Customer):contains(01/01/2030 to 01/31/2030):contains(Contract Periods)",
        },
        {
            content: "Select it",
            trigger: ".o_list_view .o_data_row:contains(Tour Review Customer) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Post and Send is a button of the list",
            trigger: ".o_list_buttons button[name='action_service_post_send'], .o_control_panel_actions button[name='action_service_post_send']",
            run: "click",
        },
        {
            content: "The clerk is told the invoice is posted and sent",
            trigger: ".o_notification:contains(posted; its e-mail is being sent)",
        },
    ],
});
