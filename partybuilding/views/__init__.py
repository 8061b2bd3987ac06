"""Party building's pages, by area: home, meetings (list, plan, record, PDF), attendance
(QR sign-in, hand sign-in, leave, make-up study), compliance (matrix, activity days, archive)."""
