{
    "name": "Service Management",
    "version": "18.0.1.0.0",
    "category": "Services/Field Service",
    "summary": "Installed base, service contracts, interventions, billing and dunning for maintenance companies",
    "author": "Service Management",
    "license": "LGPL-3",
    "depends": ["mail", "product"],
    "data": [
        "security/service_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/service_equipment_reports.xml",
        "report/service_equipment_label_templates.xml",
        "views/service_equipment_category_views.xml",
        "views/service_equipment_warranty_views.xml",
        "views/service_equipment_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/service_equipment_category_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/service_equipment_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_management/static/src/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
