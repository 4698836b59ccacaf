from csfacilitator.cli import main

raise SystemExit(main())
