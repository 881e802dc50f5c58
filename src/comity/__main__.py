from comity.cli.app import main

main()
