from fokus.cli import main

main()
