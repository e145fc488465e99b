@echo off
chcp 65001 >nul
rem doithoai: bat dau theo doi so. Nhan dup chuot, hoac keo tha mot thu muc vao tep nay.
rem   chay.bat                      theo doi thu muc workbooks\ canh tep nay
rem   chay.bat D:\DoiThoai          theo doi thu muc D:\DoiThoai
rem   chay.bat --startup D:\DoiThoai  tu chay moi lan dang nhap Windows
setlocal
cd /d "%~dp0"
set "DOITHOAI=%~dp0.venv\Scripts\doithoai.exe"
if not exist "%DOITHOAI%" goto :chua_cai

set "STARTUP="
set "THU_MUC="
:doc_tham_so
if "%~1"=="" goto :da_doc
if /i "%~1"=="--startup" set "STARTUP=1"
if /i not "%~1"=="--startup" set "THU_MUC=%~1"
shift
goto :doc_tham_so

:da_doc
if not defined THU_MUC set "THU_MUC=workbooks"
for %%I in ("%THU_MUC%") do set "THU_MUC=%%~fI"
if defined STARTUP goto :startup

echo ============================================================
echo  DOITHOAI ĐANG THEO DÕI THƯ MỤC:
echo  "%THU_MUC%"
echo  Mỗi lần lưu sổ trong Excel, kết quả được làm lại.
echo  Trang theo dõi sẽ tự mở trong trình duyệt sau lượt đầu.
echo  Muốn dừng: đóng cửa sổ này, hoặc bấm Ctrl+C.
echo ============================================================
"%DOITHOAI%" watch "%THU_MUC%" --open
echo.
echo doithoai đã dừng theo dõi.
pause
exit /b 0

:startup
set "STARTUP_DIR=%APPDATA%\Microsoft\Windows\Start Menu\Programs\Startup"
if not exist "%STARTUP_DIR%" goto :loi_startup
set "LOI_TAT=%STARTUP_DIR%\doithoai-theo-doi.bat"
> "%LOI_TAT%" echo @echo off
>> "%LOI_TAT%" echo chcp 65001 ^>nul
>> "%LOI_TAT%" echo cd /d "%~dp0"
>> "%LOI_TAT%" echo start "doithoai" /min "%DOITHOAI%" watch "%THU_MUC%"
if errorlevel 1 goto :loi_startup
echo Đã đặt doithoai tự chạy mỗi lần đăng nhập Windows, theo dõi thư mục:
echo   "%THU_MUC%"
echo Tệp khởi động: "%LOI_TAT%"
echo Muốn bỏ: bấm Win+R, gõ shell:startup, Enter, rồi xóa tệp doithoai-theo-doi.bat.
echo.
pause
exit /b 0

:loi_startup
echo Không ghi được vào thư mục Startup của Windows:
echo   "%STARTUP_DIR%"
echo Làm theo mục "Tự chạy khi bật máy" trong README.md để đặt bằng tay.
echo.
pause
exit /b 1

:chua_cai
echo doithoai chưa được cài trong thư mục này.
echo Hãy nhấn đúp tệp cai-dat.bat trước, đợi báo "ĐÃ CÀI XONG", rồi nhấn đúp lại chay.bat.
echo.
pause
exit /b 1
