; Inno Setup 6 script for CS Facilitator: a per-user install that never needs administrator
; rights, for council laptops where users cannot elevate.
;
; On Windows, from the repository:
;   .venv\Scripts\python packaging\build.py --installer
; which builds dist\csfacilitator\ and then runs, in effect:
;   iscc /DAppVersion=0.1.0 /DBundleDir=...\dist\csfacilitator packaging\windows\csfacilitator.iss
; The installer is written to dist\installer\CS-Facilitator-<version>-setup.exe.
;
; Where things go:
;   program   %LOCALAPPDATA%\Programs\CS Facilitator   ({autopf} for a per-user install)
;   your data %LOCALAPPDATA%\csfacilitator             (conferences, backups; Logs inside)
; The installer and uninstaller only ever touch the program folder, so upgrading or
; uninstalling leaves every conference, backup and log where it is.

#define AppName "CS Facilitator"
#define AppExe "csfacilitator.exe"
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\csfacilitator"
#endif
#ifndef AppVersion
  ; Read from the version resource that packaging\csfacilitator.spec writes into the exe.
  #define AppVersion GetVersionNumbersString(BundleDir + "\" + AppExe)
#endif

[Setup]
; The AppId identifies the app across versions: never change it, or upgrades install twice.
AppId={{6F0B8C52-4E1A-4D27-9C3E-8B5A2F7D1E94}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Prepare, run and record contextual safeguarding conferences offline
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\csfacilitator.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist\installer
OutputBaseFilename=CS-Facilitator-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (it saves as you type, so nothing is lost).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program's libraries wholesale, so none from an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Prepare, run and record contextual safeguarding conferences"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; There is deliberately no [UninstallDelete] section: the uninstaller removes only what it
; installed in {app}. The user's data folder is not the program folder and is never removed.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox('{#AppName} has been removed. Your conferences, backups and logs are still in ' +
      ExpandConstant('{localappdata}\csfacilitator') + #13#10#13#10 +
      'Reinstall to carry on where you left off. Delete that folder yourself only when your ' +
      'organisation''s rules on keeping records allow it.', mbInformation, MB_OK);
end;
