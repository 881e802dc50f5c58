from comity.cli import main

main()
