/// The files `segmark init` writes: a small, valid workspace to start from.
enum SampleWorkspace {
    static let files: [(path: String, text: String)] = [
        ("segmark.yml", """
        # Segmark settings (see the README for every key).
        title: My CRM segments
        # as_of: 2026-12-01    # evaluate segments as of a fixed date; default: today
        currency: EUR
        formats: [html, md]
        # history: git         # show when each segment and campaign last changed, from git
        # The From of e-mail drafts and the sender of letters (segmark log, then build):
        sender:
          name: My Company
          email: hello@example.com
          address: [Main Street 1, 0150 Oslo]

        """),
        (".gitignore", """
        # The rendered reports; delete this line to commit Output/ with the content.
        /Output/
        # Build state (the fingerprint of the last build's inputs), if you commit Output/.
        .segmark-state
        # The parse cache of build (decoded contacts and batches; safe to delete).
        /.segmark-cache/
        .DS_Store

        """),
        ("Content/codes.yml", """
        salespeople:
          AB: Anna Berg
          JS: John Smith
        territories:
          NORTH: North
          SOUTH: South
        countries:
          GB: United Kingdom
          NO: Norway
        languages:
          ENU: English
          NOR: Norwegian
        industry_groups:
          RET: Retail
          MAN: Manufacturer
        business_relations:
          CUST: Customer
          VEND: Vendor
        mailing_groups:
          NEWS: Newsletter
        job_responsibilities:
          PURCHASE: Purchase responsible
          SALE: Sales responsible
        interaction_groups:
          LETTER: Letters
          MEETING: Meetings
        campaign_statuses:
          1-PLAN: Planning
          2-START: Started
          3-DONE: Done

        """),
        ("Content/contacts/C100.md", """
        ---
        id: C100
        type: company
        name: Northwind Retail Ltd
        salesperson: AB
        territory: SOUTH
        country: GB
        language: ENU
        address: 12 High Street
        city: London
        post_code: EC1A 1BB
        email: hello@northwind.example
        correspondence_type: email
        industry_groups: [RET]
        business_relations: [CUST]
        mailing_groups: [NEWS]
        ---
        A retail customer since 2021.

        """),
        ("Content/contacts/C101.md", """
        ---
        id: C101
        type: person
        name: Emma Clarke
        company: C100
        country: GB
        language: ENU
        email: emma@northwind.example
        job_responsibilities: [PURCHASE]
        ---
        Buys for the London stores.

        """),
        ("Content/contacts/C102.md", """
        ---
        id: C102
        type: person
        name: Oliver Hughes
        company: C100
        country: GB
        language: ENU
        job_responsibilities: [SALE]
        ---

        """),
        ("Content/contacts/C200.md", """
        ---
        id: C200
        type: company
        name: Fjord Tools AS
        salesperson: JS
        territory: NORTH
        country: NO
        language: NOR
        address: Storgata 1
        city: Bergen
        post_code: 5003
        email: post@fjordtools.example
        industry_groups: [MAN]
        business_relations: [VEND]
        ---
        Supplies our own tools.

        """),
        ("Content/contacts/C201.md", """
        ---
        id: C201
        type: person
        name: Ingrid Dahl
        company: C200
        country: NO
        language: NOR
        email: ingrid@fjordtools.example
        job_responsibilities: [PURCHASE]
        mailing_groups: [NEWS]
        ---

        """),
        ("Content/contacts/C300.md", """
        ---
        id: C300
        type: company
        name: Harbour Foods Ltd
        salesperson: AB
        territory: SOUTH
        country: GB
        language: ENU
        city: Bristol
        email: info@harbourfoods.example
        industry_groups: [RET]
        business_relations: [CUST]
        ---

        """),
        ("Content/contacts/C301.md", """
        ---
        id: C301
        type: person
        name: Sam Patel
        company: C300
        country: GB
        language: ENU
        email: sam@harbourfoods.example
        job_responsibilities: [PURCHASE]
        ---

        """),
        ("Content/segments/S001.md", """
        ---
        id: S001
        description: Newsletter to customers and their buyers
        campaign: CAMP01
        campaign_target: true
        salesperson: AB
        interaction_template: NEWS
        subject: Our spring range
        criteria:
          - add:
              business_relations: CUST
            expand_companies: true
          - refine:
              contact: { type: company }
          - add:
              job_responsibilities: PURCHASE
              contact: { email: "<>''" }
          - add:
              mailing_groups: NEWS
        ---
        Every customer company, every purchase responsible with an e-mail address, and
        anyone who asked for the newsletter.

        """),
        ("Content/segments/S002.md", """
        ---
        id: S002
        description: Follow-up calls in the UK
        salesperson: AB
        interaction_template: MEET
        criteria:
          - add:
              segment: S001
          - refine:
              contact: { country: GB }
        ---
        Members of S001 in the UK, for a phone call after the newsletter.

        """),
        ("Content/campaigns/CAMP01.md", """
        ---
        id: CAMP01
        description: Spring range 2027
        status: 1-PLAN
        starting_date: 2027-03-01
        ending_date: 2027-04-30
        salesperson: AB
        budget: 500
        ---
        Tell customers about the spring range.

        """),
        ("Content/interaction-templates/NEWS.md", """
        ---
        id: NEWS
        description: Newsletter by e-mail
        group: LETTER
        unit_cost: 0.5
        unit_duration: 1
        information_flow: outbound
        initiated_by: us
        correspondence_type: email
        ---
        Dear {{#fields.first_name}}{{fields.first_name}}{{/fields.first_name}}{{^fields.first_name}}{{name}}{{/fields.first_name}},

        Here is our newsletter{{#company_name}} for everyone at {{company_name}}{{/company_name}}.

        Kind regards,
        {{#salesperson_name}}{{salesperson_name}}{{/salesperson_name}}{{^salesperson_name}}My Company{{/salesperson_name}}

        """),
        ("Content/interaction-templates/MEET.md", """
        ---
        id: MEET
        description: Meeting
        group: MEETING
        unit_cost: 100
        unit_duration: 60
        information_flow: outbound
        initiated_by: us
        ---
        Dear {{name}},

        Thank you for reading our newsletter. We would like to meet you{{#company_name}} and your colleagues at {{company_name}}{{/company_name}} to show you the spring range; we will call you in the coming days to find a date.

        Kind regards,
        {{#salesperson_name}}{{salesperson_name}}{{/salesperson_name}}{{^salesperson_name}}My Company{{/salesperson_name}}

        """),
        ("Content/interactions/.gitkeep", ""),
    ]
}
