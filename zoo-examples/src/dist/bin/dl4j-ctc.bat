@echo off
rem dl4j-ctc examples launcher (Windows): see bin/dl4j-ctc for the settings and variables.
rem ND4J here is built for linux-x86_64 only; on Windows build with -Dnd4j.classifier=windows-x86_64 -Dnd4j.native.classifier=windows-x86_64.
setlocal
set "APP_HOME=%~dp0.."
if "%OMP_NUM_THREADS%"=="" set OMP_NUM_THREADS=1
set "JAVA_CMD=java"
if not "%JAVA_HOME%"=="" set "JAVA_CMD=%JAVA_HOME%\bin\java"
"%JAVA_CMD%" -Xmx4g -Djava.awt.headless=true -Dorg.bytedeco.javacpp.maxbytes=8G -Dorg.bytedeco.javacpp.maxphysicalbytes=14G %JAVA_OPTS% -cp "%APP_HOME%\lib\*" io.github.dl4jctc.zoo.Main %*
exit /b %ERRORLEVEL%
