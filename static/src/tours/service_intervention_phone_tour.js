import { registry } from "@web/core/registry";

const FORM = ".o_form_view";
const CHECKLIST = ".o_field_widget[name='checklist_line_ids']";

registry.category("web_tour.tours").add("service_intervention_phone_tour", {
    steps: () => [
        {
            content: "My Day lists the technician's interventions of the day in planned order",
            trigger: ".o_service_my_day_kanban .o_kanban_record:first:contains(Boulangerie du Matin)",
        },
        {
            content: "Neither tomorrow's work nor another technician's",
            trigger: ".o_service_my_day_kanban:not(:has(.o_kanban_record:contains(Garage de Demain))):not(:has(.o_kanban_record:contains(Hôtel des Autres)))",
        },
        {
            content: "Open the second intervention of the day",
            trigger: ".o_service_my_day_kanban .o_kanban_record:contains(Pharmacie des Pentes)",
            run: "click",
        },
        {
            content: "The site address has a map link",
            trigger: `${FORM} .o_field_widget[name='site_map_url'] a[href*='openstreetmap.org']`,
        },
        {
            content: "Start the intervention",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_start']`,
            run: "click",
        },
        {
            content: "It is in progress: the Finish button shows",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_done']`,
        },
        {
            content: "Open the checklist",
            trigger: `${FORM} .o_notebook a.nav-link[name='checklist']`,
            run: "click",
        },
        {
            content: "Answer the first question",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Door contact replaced)`,
            run: "click",
        },
        {
            content: "Yes",
            trigger: ".modal .o_field_widget[name='answer_yes_no'] input[data-value='yes']",
            run: "click",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The answer shows on the card",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Door contact replaced):contains(Yes)`,
        },
        {
            content: "Enter the reading",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Motor temperature)`,
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='answer_number'] input",
            run: "edit 61.5",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: `${CHECKLIST} .o_kanban_record:contains(Motor temperature):contains(61.5)`,
        },
        {
            content: "Record the part used",
            trigger: `${FORM} .o_notebook a.nav-link[name='parts']`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='part_ids'] .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "On a phone, choosing the part opens a search screen",
            trigger: `${FORM} .o_field_widget[name='part_ids'] .o_data_row .o_field_widget[name='product_id'] input`,
            run: "click",
        },
        {
            trigger: ".modal .o_control_panel button:has(i.fa-search)",
            run: "click",
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "edit Tour Door Contact",
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".modal .o_kanban_record:contains(Tour Door Contact)",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='part_ids'] .o_data_row .o_field_widget[name='quantity'] input`,
            run: "edit 2",
        },
        {
            content: "Have the customer sign",
            trigger: `${FORM} .o_notebook a.nav-link[name='signature']`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='signed_by'] input`,
            run: "edit Mme Durand",
        },
        {
            content: "Leave the name field",
            trigger: `${FORM} .o_notebook a.nav-link[name='signature']`,
            run: "click",
        },
        {
            content: "Once the signer is named, the customer signs",
            trigger: `${FORM} .o_field_widget[name='signature'] .o_signature`,
            run: "click",
        },
        {
            content: "The customer draws their signature with a finger",
            trigger: ".modal canvas.o_web_sign_signature",
            async run({ anchor }) {
                const box = anchor.getBoundingClientRect();
                const pointer = (type, x, y) =>
                    new PointerEvent(type, {
                        bubbles: true,
                        cancelable: true,
                        pointerId: 1,
                        pointerType: "touch",
                        isPrimary: true,
                        buttons: type === "pointerup" ? 0 : 1,
                        clientX: box.left + x,
                        clientY: box.top + y,
                    });
                anchor.dispatchEvent(pointer("pointerdown", 20, 40));
                for (let step = 1; step <= 12; step++) {
                    await new Promise((resolve) => setTimeout(resolve, 20));
                    anchor.dispatchEvent(pointer("pointermove", 20 + step * 15, 40 + (step % 2) * 25));
                }
                anchor.dispatchEvent(pointer("pointerup", 200, 50));
            },
        },
        {
            content: "Adopt & Sign",
            trigger: ".modal footer button.btn-primary:enabled",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='signature'] img.o_signature`,
        },
        {
            content: "Finish",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_done']`,
            run: "click",
        },
        {
            content: "Finished: payment can still be collected, nothing left to finish",
            trigger: `${FORM}:not(:has(button[name='action_done'])) div[name='phone_actions'] button[name='action_collect_payment']`,
        },
    ],
});
