import App

RDVCommand.runFromCommandLine()
